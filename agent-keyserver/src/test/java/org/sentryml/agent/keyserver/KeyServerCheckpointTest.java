package org.sentryml.agent.keyserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.broker.AuditVerifier;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.KbsProtocol;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.json.StrictJson;

/**
 * The key server's checkpoint records on a loopback port over mutual TLS: records only move
 * forward, a run belongs to the client certificate that first recorded it, the policy decides who
 * may record at all, the records survive a restart, and every answer is audited.
 */
class KeyServerCheckpointTest {
  private static final String RUN = "0123456789abcdef0123456789abcdef";

  @TempDir java.nio.file.Path dir;
  private KeyServerFixture server;

  @BeforeEach
  void start() throws IOException {
    server = new KeyServerFixture(dir, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** One certificate per name: a run is bound to a certificate, not to its subject. */
  private final java.util.Map<String, Pki.Identity> identities = new java.util.HashMap<>();

  private Pki.Identity identity(String name) {
    return identities.computeIfAbsent(name, server.pki::client);
  }

  private KbsClient client(String name) {
    return server.client(identity(name), server.attester, EvidenceType.SAMPLE);
  }

  private static CheckpointRecord record(long step, int fill) {
    byte[] digest = new byte[32];
    java.util.Arrays.fill(digest, (byte) fill);
    return new CheckpointRecord(step, new Digest("sha256", digest));
  }

  @Test
  void recordsMoveOnlyForwardAndTheSameRecordAgainIsAnIdempotentRetry() throws IOException {
    KbsClient trainer = client("trainer");
    assertEquals(Optional.empty(), trainer.latestCheckpoint(RUN));
    trainer.recordCheckpoint(RUN, record(4, 1));
    trainer.recordCheckpoint(RUN, record(8, 2));
    trainer.recordCheckpoint(RUN, record(8, 2));
    assertAudited("allowed", 200, "already recorded with this digest");
    assertEquals(Optional.of(record(8, 2)), trainer.latestCheckpoint(RUN));

    VerificationFailedException older =
        assertThrows(
            VerificationFailedException.class, () -> trainer.recordCheckpoint(RUN, record(4, 1)));
    assertTrue(older.getMessage().contains("(409)"), older.getMessage());
    assertTrue(older.getMessage().contains("step 4 is older than step 8"), older.getMessage());
    assertAudited("refused", 409, "records only move forward");
    VerificationFailedException other =
        assertThrows(
            VerificationFailedException.class, () -> trainer.recordCheckpoint(RUN, record(8, 3)));
    assertTrue(
        other.getMessage().contains("already recorded with another digest"), other.getMessage());
    assertEquals(Optional.of(record(8, 2)), trainer.latestCheckpoint(RUN));

    trainer.finishCheckpoints(RUN);
    assertEquals(Optional.empty(), trainer.latestCheckpoint(RUN));
    trainer.finishCheckpoints(RUN); // nothing recorded is not an error
    for (String line : server.auditLines()) {
      assertFalse(line.contains(KbsProtocol.COOKIE), line);
    }
  }

  @Test
  void anotherClientCanNeitherReadNorOverwriteARunAndTheirRefusalsAre403() throws IOException {
    KbsClient trainer = client("trainer");
    trainer.recordCheckpoint(RUN, record(4, 1));
    KbsClient other = client("trainer-2");
    VerificationFailedException read =
        assertThrows(VerificationFailedException.class, () -> other.latestCheckpoint(RUN));
    assertTrue(read.getMessage().contains("(403)"), read.getMessage());
    assertTrue(read.getMessage().contains("recorded by another client certificate"));
    assertThrows(
        VerificationFailedException.class, () -> other.recordCheckpoint(RUN, record(9, 9)));
    assertThrows(VerificationFailedException.class, () -> other.finishCheckpoints(RUN));
    assertAudited("refused", 403, "recorded by another client certificate");
    // Bound to the certificate, not its subject: another certificate for CN=trainer is refused.
    KbsClient sameSubject =
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE);
    assertThrows(VerificationFailedException.class, () -> sameSubject.latestCheckpoint(RUN));
    assertEquals(Optional.of(record(4, 1)), trainer.latestCheckpoint(RUN));
    // The policy's "checkpoints" rule decides who may record at all: deny by default.
    VerificationFailedException notGranted =
        assertThrows(
            VerificationFailedException.class,
            () -> client("dataset-agent").recordCheckpoint("another-run", record(1, 1)));
    assertTrue(notGranted.getMessage().contains("is not granted the checkpoint records"));
    assertAudited("refused", 403, "is not granted the checkpoint records");
  }

  @Test
  void recordsSurviveARestartOfTheServer() throws IOException {
    client("trainer").recordCheckpoint(RUN, record(12, 7));
    server.restart();
    KbsClient trainer = client("trainer");
    assertEquals(Optional.of(record(12, 7)), trainer.latestCheckpoint(RUN));
    assertThrows(
        VerificationFailedException.class, () -> trainer.recordCheckpoint(RUN, record(8, 1)));
    assertThrows(
        VerificationFailedException.class, () -> client("trainer-2").latestCheckpoint(RUN));
    String file = Files.readString(server.checkpoints, StandardCharsets.UTF_8);
    assertTrue(file.contains("\"step\": \"12\""), file);
    assertEquals(server.auditLines().size(), AuditVerifier.verify(server.audit).lines());
  }

  @Test
  void malformedRequestsAre400AndTooLargeOnes413() throws Exception {
    KbsClient.KbsSession session = client("trainer").attest();
    String path = KbsProtocol.checkpointPath(RUN);
    String valid = "{\"step\":\"4\",\"sha256\":\"" + "ab".repeat(32) + "\"}";
    assertEquals(200, post(session, path, valid).statusCode());
    for (String body :
        List.of(
            "",
            "not json",
            "{\"step\":\"5\"}",
            "{\"step\":5,\"sha256\":\"" + "ab".repeat(32) + "\"}",
            "{\"step\":\"05\",\"sha256\":\"" + "ab".repeat(32) + "\"}",
            "{\"step\":\"-5\",\"sha256\":\"" + "ab".repeat(32) + "\"}",
            "{\"step\":\"99999999999999999999\",\"sha256\":\"" + "ab".repeat(32) + "\"}",
            "{\"step\":\"5\",\"sha256\":\"" + "AB".repeat(32) + "\"}",
            "{\"step\":\"5\",\"sha256\":\"" + "ab".repeat(31) + "\"}",
            "{\"step\":\"5\",\"sha256\":\"" + "ab".repeat(32) + "\",\"extra\":1}",
            "{\"step\":\"5\",\"step\":\"6\",\"sha256\":\"" + "ab".repeat(32) + "\"}")) {
      HttpResponse<byte[]> response = post(session, path, body);
      assertEquals(400, response.statusCode(), body);
    }
    assertEquals(
        413,
        post(session, path, "{\"step\":\"5\",\"pad\":\"" + "x".repeat(2000) + "\"}").statusCode());
    for (String run : List.of("", "-starts-with-dash", "a/b", "a".repeat(129), "r%20un")) {
      assertEquals(400, post(session, KbsProtocol.CHECKPOINT + run, valid).statusCode(), run);
    }
    HttpResponse<byte[]> put =
        server
            .http(server.tls(identity("trainer")))
            .send(
                HttpRequest.newBuilder(server.base.resolve(path))
                    .header("Authorization", "Bearer " + session.token())
                    .PUT(HttpRequest.BodyPublishers.ofString(valid))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, put.statusCode());
    // Nothing malformed changed the record; without a session nothing is answered at all.
    assertEquals(Optional.of(record(4, 0xab)), client("trainer").latestCheckpoint(RUN));
    HttpResponse<byte[]> anonymous =
        server
            .http(server.tls(identity("trainer")))
            .send(
                HttpRequest.newBuilder(server.base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, anonymous.statusCode());
  }

  private HttpResponse<byte[]> post(KbsClient.KbsSession session, String path, String body)
      throws Exception {
    return server
        .http(server.tls(identity("trainer")))
        .send(
            HttpRequest.newBuilder(server.base.resolve(path))
                .header("Authorization", "Bearer " + session.token())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private void assertAudited(String decision, int status, String reason) throws IOException {
    List<String> lines = server.auditLines();
    JsonObject last = StrictJson.parseObject(lines.get(lines.size() - 1), "audit line");
    assertEquals("checkpoint", last.get("event").getAsString(), last.toString());
    assertEquals(decision, last.get("decision").getAsString(), last.toString());
    assertEquals(status, last.get("status").getAsInt(), last.toString());
    assertTrue(last.get("reason").getAsString().contains(reason), last.toString());
    assertEquals(lines.size(), AuditVerifier.verify(server.audit).lines());
  }
}
