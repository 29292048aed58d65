package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.agent.inferencer.ServingFixture.assertSameProbabilities;
import static org.sentryml.agent.inferencer.ServingFixture.json;
import static org.sentryml.agent.inferencer.ServingFixture.post;

import com.google.gson.JsonArray;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.agent.keycache.KeyCacheFixture;
import org.sentryml.agent.keyserver.KeyServerFixture;
import org.sentryml.agent.keyserver.Pki;
import org.sentryml.clisupport.KeySourceOptions;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.testkit.TestTags;

/**
 * {@code sentry-inferencer serve} of an encrypted model whose key is released by a live loopback
 * key server (mutual TLS, sample attestation, {@code --key-server} with the {@code --key-server-*}
 * client options) or by a live key cache socket ({@code --key-cache}): the answers equal in-process
 * predictions of the clear model; a key that is refused or missing stops the server before any port
 * opens, with the exit code the inferencer gives for that failure everywhere (1 for a refusal, 6
 * for a key not found, as with a key store that lacks it); and two key sources are a usage error.
 */
@Tag(TestTags.E2E)
class ServeKeyBrokersEndToEndTest {
  @TempDir static Path work;

  private static ServingFixture.Pki pki;
  private static Path keys;
  private static KeyServerFixture keyServer;
  private static Pki.Identity trainer;
  private static KeyCacheFixture keyCache;
  private static Path clearModel;
  private static Path signatures;
  private static Path served;
  private static Path tdxOnly;
  private static Path foreign;
  private static Path foreignStore;

  @BeforeAll
  static void brokersAndEncryptedModels() throws Exception {
    keys = work.resolve("keys");
    ServingFixture.keygen(keys);
    pki = ServingFixture.pki(Files.createDirectories(work.resolve("serving-pki")));
    clearModel = Files.createDirectories(work.resolve("models"));
    signatures = Files.createDirectories(work.resolve("signatures"));
    ServingFixture.signedModel(clearModel, signatures, keys, 21);
    keyServer = new KeyServerFixture(work.resolve("keyserver"), Clock.systemUTC());
    trainer = keyServer.pki.client("trainer");
    keyCache =
        new KeyCacheFixture(
            keyServer, trainer, List.of(KeyServerFixture.MODEL), work.resolve("keycache.sock"));
    Path serverStore = work.resolve("keyserver/store");
    served = encrypt(KeyServerFixture.MODEL, serverStore, "served");
    tdxOnly = encrypt(KeyServerFixture.TDX_ONLY, serverStore, "tdx-only");
    foreignStore = work.resolve("foreign-store");
    assertEquals(0, ServingFixture.cli("keys", "init", "--store", foreignStore.toString()));
    foreign = encrypt(KeyId.parse("sentry:model/foreign-cnn@1").orElseThrow(), foreignStore, "f");
  }

  @AfterAll
  static void stopBrokers() {
    if (keyCache != null) {
      keyCache.close();
    }
    if (keyServer != null) {
      keyServer.close();
    }
  }

  private static Path encrypt(KeyId id, Path store, String name) {
    Path out = work.resolve("encrypted-" + name);
    int code =
        ServingFixture.cli(
            "encrypt",
            clearModel.toString(),
            "--out",
            out.toString(),
            "--id",
            id.artifact() + "@" + id.version(),
            "--store",
            store.toString());
    assertEquals(0, code, "sentry encrypt " + id);
    return out;
  }

  /**
   * {@code --attest-with sample} as the key server's policy expects it: the fixture's sample
   * attester (the agent's own measures installed jars, and this JVM runs from class folders).
   */
  private static Attester attester(EvidenceType type) {
    return type == EvidenceType.SAMPLE ? keyServer.attester : KeySourceOptions.attester(type);
  }

  private static List<String> args(Path model, String listen, String... keySource) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--sig_path",
                signatures.toString(),
                "--model_path",
                model.toString(),
                "--listen",
                listen,
                "--tls-cert",
                pki.serverCert().toString(),
                "--tls-key",
                pki.serverKey().toString(),
                "--reload-interval-s",
                "0",
                "--quiet"));
    args.addAll(List.of(keySource));
    args.addAll(List.of("private-key", "--public_key", keys.resolve("public.pem").toString()));
    return args;
  }

  /**
   * {@code sentry-inferencer serve ARGS} in this JVM; with {@code --key-server} through the same
   * command attesting with {@link #attester}.
   */
  private static ServingFixture.Server start(List<String> args) throws InterruptedException {
    return args.contains("--key-server")
        ? ServingFixture.Server.start(args, ServeKeyBrokersEndToEndTest::attester)
        : ServingFixture.Server.start(args);
  }

  private static String[] fromKeyServer() {
    return new String[] {
      "--key-server",
      keyServer.url().toString(),
      "--key-server-cert",
      trainer.certificate().toString(),
      "--key-server-key",
      trainer.key().toString(),
      "--key-server-ca",
      keyServer.serverCa().toString(),
      "--attest-with",
      "sample"
    };
  }

  private static String[] fromKeyCache() {
    return new String[] {"--key-cache", keyCache.socket().toString()};
  }

  /** Serves {@code model} with keys from {@code keySource}; its answers equal in-process ones. */
  private static void servesLikeInProcess(Path model, String... keySource) throws Exception {
    List<byte[]> images = ServingFixture.images(4, 31);
    float[][] expected = ServingFixture.inProcess(clearModel, images);
    try (ServingFixture.Server server = start(args(model, "127.0.0.1:0", keySource))) {
      assertTrue(server.port() > 0, server.output());
      HttpClient client = ServingFixture.client(pki, null);
      for (int i = 0; i < images.size(); i++) {
        HttpResponse<String> answer = post(client, server, "image/png", images.get(i));
        assertEquals(200, answer.statusCode(), answer.body());
        JsonArray predictions = json(answer).getAsJsonArray("predictions");
        assertSameProbabilities(
            expected[i], predictions.get(0).getAsJsonObject(), "image " + i + " of " + model);
      }
    }
  }

  /** Serving {@code model} with {@code keySource} exits with {@code code} and opens no port. */
  private static String refusedBeforeAnyPort(int code, Path model, String... keySource)
      throws Exception {
    int port = ServingFixture.freeLoopbackPort();
    try (ServingFixture.Server server = start(args(model, "127.0.0.1:" + port, keySource))) {
      assertEquals(code, server.awaitExit(), server.output());
      assertFalse(server.output().contains("serving https://"), server.output());
      ServingFixture.assertNothingListensOn(port);
      return server.output();
    }
  }

  @Test
  void keysFromALiveKeyServerServeTheEncryptedModel() throws Exception {
    servesLikeInProcess(served, fromKeyServer());
    List<String> audit = Files.readAllLines(keyServer.audit);
    assertTrue(
        audit.stream()
            .anyMatch(
                line ->
                    line.contains("\"decision\":\"allowed\"")
                        && line.contains(KeyServerFixture.MODEL.toString())),
        String.join("\n", audit));
  }

  @Test
  void keysFromALiveKeyCacheServeTheEncryptedModel() throws Exception {
    servesLikeInProcess(served, fromKeyCache());
    assertTrue(keyCache.log().contains("released " + KeyServerFixture.MODEL), keyCache.log());
  }

  @Test
  void aKeyTheKeyServerRefusesExitsWithOneBeforeAnyPortOpens() throws Exception {
    // TDX_ONLY is granted to the trainer's certificate, but only on TDX evidence.
    String tdx = refusedBeforeAnyPort(1, tdxOnly, fromKeyServer());
    assertTrue(tdx.contains(KeyServerFixture.TDX_ONLY.toString()), tdx);
    // A key the server's policy does not name: denied by default.
    String unknown = refusedBeforeAnyPort(1, foreign, fromKeyServer());
    assertTrue(unknown.contains("foreign-cnn@1"), unknown);
  }

  @Test
  void aKeyTheKeyCacheDoesNotHoldExitsWithSixAsAKeyStoreWithoutIt() throws Exception {
    String cache = refusedBeforeAnyPort(6, tdxOnly, fromKeyCache());
    assertTrue(cache.contains(KeyServerFixture.TDX_ONLY.toString()), cache);
    refusedBeforeAnyPort(6, served, "--key-store", foreignStore.toString());
  }

  @Test
  void twoKeySourcesAreAUsageErrorNamingBoth() throws Exception {
    List<String> both = new ArrayList<>(List.of(fromKeyServer()));
    both.addAll(List.of(fromKeyCache()));
    String serverAndCache = refusedBeforeAnyPort(2, served, both.toArray(String[]::new));
    assertTrue(serverAndCache.contains("not --key-server and --key-cache"), serverAndCache);
    String storeAndCache =
        refusedBeforeAnyPort(
            2, served, "--key-store", foreignStore.toString(), "--key-cache", "/nowhere.sock");
    assertTrue(storeAndCache.contains("not --key-store and --key-cache"), storeAndCache);
    String clientFilesWithoutServer =
        refusedBeforeAnyPort(2, served, "--key-server-cert", trainer.certificate().toString());
    assertTrue(
        clientFilesWithoutServer.contains(
            "--key-server-cert, --key-server-key and --key-server-ca go with --key-server"),
        clientFilesWithoutServer);
    String serverWithoutClientFiles =
        refusedBeforeAnyPort(2, served, "--key-server", keyServer.url().toString());
    assertTrue(
        serverWithoutClientFiles.contains(
            "--key-server needs --key-server-cert, --key-server-key and --key-server-ca"),
        serverWithoutClientFiles);
  }
}
