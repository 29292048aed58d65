package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

/**
 * No key is ever printed: every keys, encrypt and decrypt command is run with {@code --debug} and
 * {@code --json}, on its success and on its failures (where stack traces print), and the output is
 * searched for the master key and every data key, raw, in hex and in base64.
 */
class KeysNeverPrintedTest {
  @TempDir Path dir;
  private final List<CliRun> runs = new ArrayList<>();

  private CliRun run(int expectedExit, String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--debug";
    full[args.length + 1] = "--json";
    CliRun run = CliRun.of(full);
    runs.add(run);
    assertEquals(expectedExit, run.exitCode(), String.join(" ", args) + "\n" + run.err());
    // --json: the last line is the result object, whatever the exit.
    assertTrue(
        JsonParser.parseString(run.out().lines().reduce((a, b) -> b).orElseThrow()).isJsonObject(),
        run.out());
    return run;
  }

  @Test
  void noCommandPrintsAKeyOnAnyExitPath() throws Exception {
    String store = dir.resolve("store").toString();
    Path masterKey = dir.resolve("store/master.key");
    Path model = ModelFixtures.smallModel(dir);
    Path enc = dir.resolve("enc");

    run(0, "keys", "init", "--store", store);
    run(2, "keys", "init", "--store", store);
    run(0, "keys", "create", "--store", store, "--id", "sentry:dataset/d@1");
    run(2, "keys", "create", "--store", store, "--id", "sentry:dataset/d@1");
    run(0, "keys", "rotate", "--store", store, "--id", "sentry:dataset/d@1");
    run(6, "keys", "rotate", "--store", store, "--id", "sentry:dataset/none@1");
    run(0, "keys", "list", "--store", store);
    run(0, "encrypt", model.toString(), "--out", enc.toString(), "--id", "m@1", "--store", store);
    run(0, "decrypt", enc.toString(), "--out", dir.resolve("dec").toString(), "--store", store);

    Path other = dir.resolve("other");
    run(0, "keys", "init", "--store", other.toString());
    run(
        1,
        "keys",
        "rotate",
        "--store",
        store,
        "--master-key",
        other.resolve("master.key").toString(),
        "--id",
        "sentry:dataset/d@1");
    run(
        1,
        "decrypt",
        enc.toString(),
        "--out",
        dir.resolve("dec2").toString(),
        "--store",
        store,
        "--master-key",
        other.resolve("master.key").toString());
    run(
        6,
        "decrypt",
        enc.toString(),
        "--out",
        dir.resolve("dec2").toString(),
        "--store",
        other.toString());
    run(0, "keys", "create", "--store", other.toString(), "--id", "sentry:model/m@1");
    run(
        1,
        "decrypt",
        enc.toString(),
        "--out",
        dir.resolve("dec2").toString(),
        "--store",
        other.toString());

    try (RandomAccessFile file = new RandomAccessFile(enc.resolve("weights.bin").toFile(), "rw")) {
      file.seek(100);
      file.write(0);
    }
    run(1, "decrypt", enc.toString(), "--out", dir.resolve("dec2").toString(), "--store", store);
    Path keyFile = dir.resolve("store/keys/dataset-d@1.json");
    Path saved = Files.copy(keyFile, dir.resolve("saved.json"));
    Files.writeString(
        keyFile,
        Files.readString(keyFile)
            .replace("\"encryptedKeyset\": \"", "\"encryptedKeyset\": \"AAAA"));
    run(0, "keys", "list", "--store", store);
    run(1, "keys", "rotate", "--store", store, "--id", "sentry:dataset/d@1");
    Files.copy(saved, keyFile, StandardCopyOption.REPLACE_EXISTING);

    List<String> secrets = StoreSecrets.of(dir.resolve("store"), masterKey);
    secrets.addAll(StoreSecrets.of(other, other.resolve("master.key")));
    assertTrue(secrets.size() >= 4 * 6, "secrets found: " + secrets.size());

    // A master key that does not parse, or that others may read: the failure must not quote it.
    Path bad = dir.resolve("bad.key");
    String looksSecret = Files.readString(masterKey).replace("AesGcmKey", "XyzGcmKey");
    Files.writeString(bad, looksSecret);
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
    run(
        3,
        "keys",
        "rotate",
        "--store",
        store,
        "--master-key",
        bad.toString(),
        "--id",
        "sentry:dataset/d@1");
    run(
        3,
        "keys",
        "create",
        "--store",
        store,
        "--master-key",
        bad.toString(),
        "--id",
        "sentry:model/x@1");
    Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-r--r--"));
    run(7, "decrypt", enc.toString(), "--out", dir.resolve("dec3").toString(), "--store", store);

    StringBuilder printed = new StringBuilder();
    for (CliRun run : runs) {
      printed.append(run.out()).append('\n').append(run.err()).append('\n');
    }
    assertTrue(printed.toString().contains("\tat org.sentryml"), "--debug printed stack traces");
    for (String secret : secrets) {
      assertFalse(printed.toString().contains(secret), "a key was printed");
    }
  }
}
