package org.sentryml.agent.keyserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.broker.AuditVerifier;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.testkit.TestTags;

/**
 * kill -9 of a serving key server while keys are being created in its store: the store opens with
 * every key created before, the audit log's chain is intact (each line was one write, forced), and
 * a new server on the same store and log releases the earlier keys.
 */
@Tag(TestTags.SLOW)
class ServerKillTest {
  @TempDir Path dir;

  @Test
  void killNineDuringKeyCreationLeavesEveryEarlierKeyAndAnIntactAuditLog() throws Exception {
    Pki pki = new Pki(dir);
    Pki.Identity trainer = pki.client("trainer");
    Path storeDir = dir.resolve("store");
    KeyStore.init(storeDir, MasterKeySource.resolve(null, Map.of(), storeDir));
    Path config = Files.writeString(dir.resolve("agent.conf"), "x\n", StandardCharsets.UTF_8);
    SampleAttester attester = new SampleAttester(List.of(), List.of(config));
    List<KeyId> named = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      named.add(new KeyId(ArtifactKind.MODEL, "k", Integer.toString(i)));
    }
    Path policy = dir.resolve("policy.json");
    Files.writeString(
        policy,
        LoadBench.policyJson(named, attester.measurement().hex())
            .replace("CN=bench-client", "CN=trainer"),
        StandardCharsets.UTF_8);
    List<KeyId> created = new ArrayList<>(createKeys(storeDir, 1, 5, null));
    Path audit = dir.resolve("audit.jsonl");
    Path ready = dir.resolve("ready");
    Process server = serve(pki, storeDir, policy, audit, ready);
    URI base = URI.create(LoadBench.awaitReady(ready, server));
    KbsClient client =
        new KbsClient(
            base,
            org.sentryml.confidential.broker.TlsFiles.context(
                trainer.certificate(), trainer.key(), pki.serverCaFile),
            attester,
            EvidenceType.SAMPLE,
            false);
    AtomicInteger released = new AtomicInteger();
    List<KeyId> early = List.copyOf(created);
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread fetcher =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    KbsClient.KbsSession session = client.attest();
                    while (true) {
                      client.keyset(session, early.get(released.get() % early.size()));
                      released.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });
    // Keys are being released when the kill comes.
    for (int wait = 0; released.get() < 3 && failure.get() == null && wait < 3000; wait++) {
      Thread.sleep(10);
    }
    assertTrue(released.get() >= 3, () -> "no keys released: " + failure.get());
    created.addAll(createKeys(storeDir, 6, 20, server));
    fetcher.join(30_000);
    KeyStore store = KeyStore.open(storeDir, MasterKeySource.resolve(null, Map.of(), storeDir));
    for (KeyId id : created) {
      store.streamingAead(id);
    }
    long lines = AuditVerifier.verify(audit).lines();
    assertTrue(
        lines >= 2 + released.get(), "audit lines " + lines + ", released " + released.get());
    Files.delete(ready);
    Process again = serve(pki, storeDir, policy, audit, ready);
    try {
      KbsClient after =
          new KbsClient(
              URI.create(LoadBench.awaitReady(ready, again)),
              org.sentryml.confidential.broker.TlsFiles.context(
                  trainer.certificate(), trainer.key(), pki.serverCaFile),
              attester,
              EvidenceType.SAMPLE,
              false);
      for (KeyId id : List.of(created.get(0), created.get(created.size() - 1))) {
        after.keyset(id);
      }
    } finally {
      again.destroyForcibly();
      again.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(
        lines + 4,
        AuditVerifier.verify(audit).lines(),
        "auth, attest and two releases continue the chain");
  }

  /**
   * Creates keys from {@code first} in a separate process; kills it (and {@code server}) after
   * {@code count}.
   */
  private static List<KeyId> createKeys(Path store, int first, int count, Process server)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process creator =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KeyCreatingProcess.class.getName(),
                store.toString(),
                Integer.toString(first))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<KeyId> done = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(creator.getInputStream(), StandardCharsets.UTF_8))) {
      while (done.size() < count) {
        String line = out.readLine();
        assertTrue(line != null, "the key-creating process ended early");
        done.add(KeyId.parse(line).orElseThrow());
      }
      // SIGKILL both, the server first, while the creator is in the middle of its next key.
      if (server != null) {
        server.destroyForcibly();
      }
      creator.destroyForcibly();
      assertTrue(creator.waitFor(30, TimeUnit.SECONDS));
      if (server != null) {
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      }
    }
    return done;
  }

  private static Process serve(Pki pki, Path store, Path policy, Path audit, Path ready)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            KeyServerAgent.class.getName(),
            "serve",
            "--store",
            store.toString(),
            "--policy",
            policy.toString(),
            "--tls-cert",
            pki.server.certificate().toString(),
            "--tls-key",
            pki.server.key().toString(),
            "--client-ca",
            pki.clientCaFile.toString(),
            "--listen",
            "127.0.0.1:0",
            "--audit",
            audit.toString(),
            "--ready-file",
            ready.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
