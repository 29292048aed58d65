package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.ShardReader;
import org.sentryml.data.dataset.ShardWriter;
import org.sentryml.testkit.ModelFixtures;

/** {@code sentry encrypt} and {@code sentry decrypt}: round trips, and what they refuse. */
class EncryptionCliTest {
  @TempDir Path dir;
  private Path store;
  private Path model;

  @BeforeEach
  void setUp() throws Exception {
    store = dir.resolve("store");
    assertEquals(0, CliRun.of("keys", "init", "--store", store.toString()).exitCode());
    model = ModelFixtures.smallModel(dir);
    byte[] weights = new byte[2_500_000];
    new SplittableRandom(1).nextBytes(weights);
    Files.write(model.resolve("big.bin"), weights);
  }

  static Map<String, byte[]> contents(Path folder) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static void assertSameFiles(Path expected, Path actual) throws Exception {
    Map<String, byte[]> a = contents(expected);
    Map<String, byte[]> b = contents(actual);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), name);
    }
  }

  private CliRun encrypt(Path input, Path out, String id, String... more) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "encrypt",
                    input.toString(),
                    "--out",
                    out.toString(),
                    "--id",
                    id,
                    "--store",
                    store.toString()),
                Stream.of(more))
            .toArray(String[]::new);
    return CliRun.of(args);
  }

  private CliRun decrypt(Path input, Path out, String... more) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "decrypt",
                    input.toString(),
                    "--out",
                    out.toString(),
                    "--store",
                    store.toString()),
                Stream.of(more))
            .toArray(String[]::new);
    return CliRun.of(args);
  }

  @Test
  void aModelFolderRoundTripsAndItsKeyIsCreatedOnce() throws Exception {
    CliRun encrypt = encrypt(model, dir.resolve("enc"), "tiny@1", "--json");
    assertEquals(0, encrypt.exitCode(), encrypt.err());
    JsonObject result = JsonParser.parseString(encrypt.out()).getAsJsonObject();
    assertEquals("sentry:model/tiny@1", result.get("key_id").getAsString());
    assertTrue(result.get("key_created").getAsBoolean());
    assertEquals(4, result.get("files").getAsInt());
    assertEquals("folder", result.get("layout").getAsString());

    CliRun decrypt = decrypt(dir.resolve("enc"), dir.resolve("dec"));
    assertEquals(0, decrypt.exitCode(), decrypt.err());
    assertTrue(decrypt.out().startsWith("decrypted 4 files"), decrypt.out());
    assertSameFiles(model, dir.resolve("dec"));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dec"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dec/big.bin"))));

    CliRun again = encrypt(model, dir.resolve("enc2"), "tiny@1", "--json");
    assertFalse(
        JsonParser.parseString(again.out()).getAsJsonObject().get("key_created").getAsBoolean());
  }

  @Test
  void aSingleModelFileDecryptsBackToAFile() throws Exception {
    Path file = model.resolve("big.bin");
    CliRun encrypt = encrypt(file, dir.resolve("enc"), "one-file@1");
    assertEquals(0, encrypt.exitCode(), encrypt.err());
    assertTrue(Files.isRegularFile(dir.resolve("enc/big.bin")));
    CliRun decrypt = decrypt(dir.resolve("enc"), dir.resolve("big.bin"), "--json");
    assertEquals(0, decrypt.exitCode(), decrypt.err());
    assertEquals(
        "file",
        JsonParser.parseString(decrypt.out()).getAsJsonObject().get("layout").getAsString());
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("big.bin")));
  }

  @Test
  void aPreparedDatasetIsEncryptedAsADatasetAndItsShardsReadBack() throws Exception {
    Path dataset = Files.createDirectories(dir.resolve("dataset"));
    try (ShardWriter shard = new ShardWriter(dataset.resolve("source-00.tar"))) {
      for (int i = 0; i < 50; i++) {
        shard.write(
            new Sample(
                String.format(Locale.ROOT, "train/%08d", i),
                i % 10,
                new byte[] {(byte) i, 1, 2, 3},
                SampleKind.IMAGE));
      }
      shard.finish();
    }
    Files.writeString(dataset.resolve("index.json"), "{}");
    Files.writeString(dataset.resolve("manifest.json"), "{}");
    CliRun encrypt = encrypt(dataset, dir.resolve("enc"), "mnist-subset@2025-06-01", "--json");
    assertEquals(0, encrypt.exitCode(), encrypt.err());
    assertEquals(
        "sentry:dataset/mnist-subset@2025-06-01",
        JsonParser.parseString(encrypt.out()).getAsJsonObject().get("key_id").getAsString());
    assertEquals(0, decrypt(dir.resolve("enc"), dir.resolve("dec")).exitCode());
    assertSameFiles(dataset, dir.resolve("dec"));
    int samples = 0;
    try (ShardReader reader = new ShardReader(dir.resolve("dec/source-00.tar"))) {
      while (reader.hasNext()) {
        reader.next();
        samples++;
      }
    }
    assertEquals(50, samples);
  }

  @Test
  void signaturesOfThePlaintextHoldAfterDecryptionAndTheEncryptedFolderCanBeSignedItself()
      throws Exception {
    Path keys = dir.resolve("signing");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    String privateKey = keys.resolve("private.pem").toString();
    String publicKey = keys.resolve("public.pem").toString();
    Path plainSig = dir.resolve("plain.sig");
    assertEquals(
        0,
        CliRun.of(
                "sign",
                model.toString(),
                "--signature",
                plainSig.toString(),
                "private-key",
                "--private_key",
                privateKey)
            .exitCode());
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    assertEquals(0, decrypt(dir.resolve("enc"), dir.resolve("dec")).exitCode());
    CliRun verifyPlain =
        CliRun.of(
            "verify",
            dir.resolve("dec").toString(),
            "--signature",
            plainSig.toString(),
            "private-key",
            "--public_key",
            publicKey);
    assertEquals(0, verifyPlain.exitCode(), verifyPlain.err());

    Path encSig = dir.resolve("enc.sig");
    assertEquals(
        0,
        CliRun.of(
                "sign",
                dir.resolve("enc").toString(),
                "--signature",
                encSig.toString(),
                "private-key",
                "--private_key",
                privateKey)
            .exitCode());
    assertEquals(
        0,
        CliRun.of(
                "verify",
                dir.resolve("enc").toString(),
                "--signature",
                encSig.toString(),
                "private-key",
                "--public_key",
                publicKey)
            .exitCode());
    Files.writeString(
        dir.resolve("enc/sentry-encryption.json"),
        Files.readString(dir.resolve("enc/sentry-encryption.json")) + " ");
    assertEquals(
        1,
        CliRun.of(
                "verify",
                dir.resolve("enc").toString(),
                "--signature",
                encSig.toString(),
                "private-key",
                "--public_key",
                publicKey)
            .exitCode());
  }

  @Test
  void anExistingOutIsReplacedOnlyWithForce() throws Exception {
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    CliRun refused = encrypt(model, dir.resolve("enc"), "tiny@1");
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("--force"), refused.err());
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1", "--force").exitCode());
    assertEquals(0, decrypt(dir.resolve("enc"), dir.resolve("dec")).exitCode());
    assertEquals(2, decrypt(dir.resolve("enc"), dir.resolve("dec")).exitCode());
    assertEquals(0, decrypt(dir.resolve("enc"), dir.resolve("dec"), "--force").exitCode());
  }

  @Test
  void outputsThatWouldDestroyInputsAreRefused() throws Exception {
    assertEquals(2, encrypt(model, model.resolve("enc"), "tiny@1").exitCode());
    assertEquals(2, encrypt(model, dir, "tiny@1", "--force").exitCode());
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    CliRun holdsStore = decrypt(dir.resolve("enc"), dir, "--force");
    assertEquals(2, holdsStore.exitCode());
    assertTrue(holdsStore.err().contains("holds"), holdsStore.err());
  }

  @Test
  void anEncryptedFolderIsNotEncryptedAgain() throws Exception {
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    CliRun again = encrypt(dir.resolve("enc"), dir.resolve("enc2"), "tiny@2");
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("encrypted already"), again.err());
  }

  @Test
  void badIdsAndKindsAreUsageErrors() {
    assertEquals(2, encrypt(model, dir.resolve("enc"), "tiny").exitCode());
    assertEquals(2, encrypt(model, dir.resolve("enc"), "../tiny@1").exitCode());
    assertEquals(2, encrypt(model, dir.resolve("enc"), "tiny@1", "--kind", "tensor").exitCode());
    assertEquals(2, encrypt(model, dir.resolve("enc"), "tiny@1", "--threads", "-1").exitCode());
    assertFalse(Files.exists(dir.resolve("enc")));
  }

  @Test
  void anEmptyModelFolderIsBadInput() throws Exception {
    assertEquals(
        3,
        encrypt(Files.createDirectories(dir.resolve("empty")), dir.resolve("enc"), "tiny@1")
            .exitCode());
  }

  @Test
  void aMissingKeyExitsSixNamingTheKeyFile() throws Exception {
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    Path other = dir.resolve("other-store");
    assertEquals(0, CliRun.of("keys", "init", "--store", other.toString()).exitCode());
    CliRun run =
        CliRun.of(
            "decrypt",
            dir.resolve("enc").toString(),
            "--out",
            dir.resolve("dec").toString(),
            "--store",
            other.toString());
    assertEquals(6, run.exitCode());
    assertTrue(
        run.err().contains("sentry:model/tiny@1") && run.err().contains("model-tiny@1.json"),
        run.err());
  }

  @Test
  void anotherKeyOfTheSameIdExitsOneNamingTheHeader() throws Exception {
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    Path other = dir.resolve("other-store");
    assertEquals(0, CliRun.of("keys", "init", "--store", other.toString()).exitCode());
    assertEquals(
        0,
        CliRun.of("keys", "create", "--store", other.toString(), "--id", "sentry:model/tiny@1")
            .exitCode());
    CliRun run =
        CliRun.of(
            "decrypt",
            dir.resolve("enc").toString(),
            "--out",
            dir.resolve("dec").toString(),
            "--store",
            other.toString());
    assertEquals(1, run.exitCode());
    assertTrue(
        run.err().contains("sentry-encryption.json") && run.err().contains("fails authentication"),
        run.err());
    assertFalse(Files.exists(dir.resolve("dec")));
  }

  @Test
  void aWrongMasterKeyExitsOne() throws Exception {
    Path other = dir.resolve("other-store");
    assertEquals(0, CliRun.of("keys", "init", "--store", other.toString()).exitCode());
    CliRun run =
        CliRun.of(
            "keys",
            "create",
            "--store",
            store.toString(),
            "--master-key",
            other.resolve("master.key").toString(),
            "--id",
            "sentry:model/tiny@1");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("does not open key store"), run.err());
  }

  @Test
  void failuresAreOneJsonObjectWithTheExitCode() throws Exception {
    assertEquals(0, encrypt(model, dir.resolve("enc"), "tiny@1").exitCode());
    Files.writeString(dir.resolve("enc/sentry-encryption.json"), "{");
    CliRun run = decrypt(dir.resolve("enc"), dir.resolve("dec"), "--json");
    assertEquals(3, run.exitCode());
    JsonObject failure = JsonParser.parseString(run.out()).getAsJsonObject();
    assertFalse(failure.get("ok").getAsBoolean());
    assertEquals(3, failure.get("exit_code").getAsInt());
    assertTrue(failure.get("error").getAsString().contains("sentry-encryption.json"), run.out());
  }
}
