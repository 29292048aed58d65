package org.sentryml.agent.keyserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.StreamingAead;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.broker.AuditVerifier;
import org.sentryml.confidential.broker.BrokerService;
import org.sentryml.confidential.broker.EphemeralKey;
import org.sentryml.confidential.broker.KbsAttestation;
import org.sentryml.confidential.broker.KbsChallenge;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.KbsProtocol;
import org.sentryml.confidential.broker.KbsRequest;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.StrictJson;
import org.sentryml.testkit.MovableClock;
import org.sentryml.testkit.TestPki;
import org.sentryml.testkit.TestVectors;

/**
 * The key server on a loopback port, spoken to over mutual TLS: who gets which key, what is refused
 * at the TLS layer, what with 403 and what with 401, and that every decision is in the audit log
 * with its reason.
 */
class KeyServerTest {
  @TempDir Path dir;
  private KeyServerFixture server;

  @BeforeEach
  void start() throws IOException {
    server = new KeyServerFixture(dir, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anAttestedClientGetsTheKeyOfItsArtifactAndItDecryptsWhatTheStoreEncrypted()
      throws Exception {
    KbsClient client =
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE);
    byte[] plaintext = "weights".getBytes(StandardCharsets.UTF_8);
    byte[] aad = "model.safetensors".getBytes(StandardCharsets.UTF_8);
    byte[] ciphertext = encrypt(server.store.streamingAead(KeyServerFixture.MODEL), plaintext, aad);
    StreamingAead released = client.streamingAead(KeyServerFixture.MODEL);
    assertArrayEquals(plaintext, decrypt(released, ciphertext, aad));
    List<String> lines = server.auditLines();
    assertEquals(3, lines.size(), "auth, attest, resource: " + lines);
    JsonObject last = StrictJson.parseObject(lines.get(2), "audit line");
    assertEquals("resource", last.get("event").getAsString());
    assertEquals("allowed", last.get("decision").getAsString());
    assertEquals(KeyServerFixture.MODEL.toString(), last.get("key_id").getAsString());
    assertEquals(SampleAttester.WARNING, last.get("insecure").getAsString());
    assertEquals(3, AuditVerifier.verify(server.audit).lines());
    for (String line : lines) {
      assertFalse(line.contains("\"keyset\"") || line.contains("AES256"), "no key in " + line);
    }
  }

  @Test
  void aClientWithoutACertificateIsRefusedAtTheTlsLayer() throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("ca", server.pki.serverCa.certificate());
    trust.init(anchors);
    SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
    anonymous.init(null, trust.getTrustManagers(), null);
    assertRefusedAtTls(anonymous);
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedAtTheTlsLayer() {
    TestPki.Issued foreign = TestPki.root("Foreign CA", Pki.FROM, Pki.TO);
    assertRefusedAtTls(server.tls(server.pki.client("trainer", foreign, Pki.FROM, Pki.TO)));
  }

  @Test
  void anExpiredCertificateIsRefusedAtTheTlsLayer() {
    Instant longAgo = Instant.now().minus(Duration.ofDays(60));
    assertRefusedAtTls(
        server.tls(
            server.pki.client(
                "trainer", server.pki.clientCa, longAgo, longAgo.plus(Duration.ofDays(30)))));
  }

  @Test
  void aKeyThePolicyDoesNotGrantTheClientIs403AndAudited() throws Exception {
    Pki.Identity trainer = server.pki.client("trainer");
    KbsClient client = server.client(trainer, server.attester, EvidenceType.SAMPLE);
    KbsClient.KbsSession session = client.attest();
    HttpResponse<byte[]> response =
        resource(trainer, session, KbsProtocol.resourcePath(KeyServerFixture.DATASET));
    assertEquals(403, response.statusCode());
    assertAudited("refused", 403, "is not granted key " + KeyServerFixture.DATASET);
    // The same grant by a SAN works for another client: the dataset agent named by its subject.
    KbsClient dataset =
        server.client(server.pki.client("dataset-agent"), server.attester, EvidenceType.SAMPLE);
    dataset.keyset(KeyServerFixture.DATASET);
  }

  /**
   * The client attests again only when its session expired (401); a key the policy refuses (403) is
   * final, since another attestation could not change the policy's answer.
   */
  @Test
  void anExpiredSessionIsAttestedAgainOnceAndAPolicyRefusalIsNot() throws Exception {
    server.close();
    MovableClock clock = new MovableClock(Instant.now());
    server = new KeyServerFixture(dir.resolve("moving"), clock);
    KbsClient client =
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE);
    client.keyset(KeyServerFixture.MODEL);
    client.keyset(KeyServerFixture.MODEL);
    assertEquals(1, attestations(), "a live session is used again");
    clock.advance(BrokerService.Lifetimes.DEFAULT.session().plusSeconds(1));
    client.keyset(KeyServerFixture.MODEL);
    assertEquals(2, attestations(), "the expired session is replaced by one new attestation");
    assertThrows(VerificationFailedException.class, () -> client.keyset(KeyServerFixture.DATASET));
    assertAudited("refused", 403, "is not granted key " + KeyServerFixture.DATASET);
    assertEquals(2, attestations(), "no attestation after the policy's refusal");
  }

  private long attestations() throws IOException {
    return server.auditLines().stream()
        .map(line -> StrictJson.parseObject(line, "audit line"))
        .filter(
            line ->
                line.get("event").getAsString().equals("attest")
                    && line.get("decision").getAsString().equals("allowed"))
        .count();
  }

  @Test
  void evidenceOfAnotherTypeThanThePolicyAcceptsIs401AndAudited() throws IOException {
    KbsClient client =
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE);
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class, () -> client.keyset(KeyServerFixture.TDX_ONLY));
    assertTrue(refusal.getMessage().contains("(401)"), refusal.getMessage());
    assertAudited("refused", 401, "evidence type sample is not accepted");
  }

  @Test
  void aWrongMeasurementIs401AndAudited() throws IOException {
    Path other =
        Files.writeString(dir.resolve("other.conf"), "threads=3\n", StandardCharsets.UTF_8);
    KbsClient client =
        server.client(
            server.pki.client("trainer"),
            new SampleAttester(List.of(), List.of(other)),
            EvidenceType.SAMPLE);
    assertThrows(VerificationFailedException.class, () -> client.keyset(KeyServerFixture.MODEL));
    assertAudited("refused", 401, "is none of the policy's reference values");
  }

  @Test
  void evidenceFromADebuggableTdIs401AndAudited() throws Exception {
    server.close();
    // The TDX sample quote's PCK chain was valid in mid 2025; the broker's clock is moved there.
    Instant valid = Instant.parse("2025-06-01T00:00:00Z");
    server =
        new KeyServerFixture(
            dir.resolve("tdx"),
            Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), valid)));
    Pki.Identity trainer = server.pki.client("trainer");
    HttpClient http = server.http(server.tls(trainer));
    HttpResponse<byte[]> challenge = auth(http, EvidenceType.TDX);
    String nonce = KbsChallenge.parse(challenge.body()).nonce();
    Evidence quote =
        Evidence.of(EvidenceType.TDX, TestVectors.bytes("attestation/tdx/tdx_quote_4.dat"));
    HttpResponse<byte[]> attested =
        KeyServerFixture.post(
            http,
            server.base.resolve(KbsProtocol.ATTEST),
            KbsAttestation.of(nonce, EphemeralKey.generate().publicJwk(), quote).toJson(),
            KeyServerFixture.cookie(challenge));
    assertEquals(401, attested.statusCode());
    assertAudited("refused", 401, "debug mode");
  }

  @Test
  void aReplayedAttestationIs401AndAudited() throws Exception {
    HttpClient http = server.http(server.tls(server.pki.client("trainer")));
    HttpResponse<byte[]> challenge = auth(http, EvidenceType.SAMPLE);
    String cookie = KeyServerFixture.cookie(challenge);
    byte[] attestation =
        attestation(KbsChallenge.parse(challenge.body()).nonce(), EphemeralKey.generate());
    URI attest = server.base.resolve(KbsProtocol.ATTEST);
    assertEquals(200, KeyServerFixture.post(http, attest, attestation, cookie).statusCode());
    assertEquals(401, KeyServerFixture.post(http, attest, attestation, cookie).statusCode());
    assertAudited("refused", 401, "replayed attestation");
  }

  @Test
  void aNonceFromAnotherSessionIs401AndAudited() throws Exception {
    HttpClient http = server.http(server.tls(server.pki.client("trainer")));
    HttpResponse<byte[]> first = auth(http, EvidenceType.SAMPLE);
    HttpResponse<byte[]> second = auth(http, EvidenceType.SAMPLE);
    byte[] boundToSecond =
        attestation(KbsChallenge.parse(second.body()).nonce(), EphemeralKey.generate());
    HttpResponse<byte[]> response =
        KeyServerFixture.post(
            http,
            server.base.resolve(KbsProtocol.ATTEST),
            boundToSecond,
            KeyServerFixture.cookie(first));
    assertEquals(401, response.statusCode());
    assertAudited("refused", 401, "foreign nonce");
  }

  @Test
  void reportDataThatDoesNotBindTheEphemeralKeyIs401AndAudited() throws Exception {
    HttpClient http = server.http(server.tls(server.pki.client("trainer")));
    HttpResponse<byte[]> challenge = auth(http, EvidenceType.SAMPLE);
    String nonce = KbsChallenge.parse(challenge.body()).nonce();
    String sentKey = EphemeralKey.generate().publicJwk();
    Evidence boundToAnotherKey =
        server.attester.evidence(nonce, EphemeralKey.generate().publicJwk());
    HttpResponse<byte[]> response =
        KeyServerFixture.post(
            http,
            server.base.resolve(KbsProtocol.ATTEST),
            KbsAttestation.of(nonce, sentKey, boundToAnotherKey).toJson(),
            KeyServerFixture.cookie(challenge));
    assertEquals(401, response.statusCode());
    assertAudited("refused", 401, "report data does not bind");
  }

  @Test
  void aResourceWithoutAnAttestedSessionIs401() throws Exception {
    HttpClient http = server.http(server.tls(server.pki.client("trainer")));
    HttpResponse<byte[]> challenge = auth(http, EvidenceType.SAMPLE);
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(
                    server.base.resolve(KbsProtocol.resourcePath(KeyServerFixture.MODEL)))
                .header("Cookie", KeyServerFixture.cookie(challenge))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, response.statusCode());
    assertAudited("refused", 401, "no attested session");
  }

  @Test
  void theAttestationTokenServesAsABearerForTheSameClientOnly() throws Exception {
    Pki.Identity trainer = server.pki.client("trainer");
    KbsClient.KbsSession session =
        server.client(trainer, server.attester, EvidenceType.SAMPLE).attest();
    URI key = server.base.resolve(KbsProtocol.resourcePath(KeyServerFixture.MODEL));
    HttpResponse<byte[]> own =
        server
            .http(server.tls(trainer))
            .send(
                HttpRequest.newBuilder(key)
                    .header("Authorization", "Bearer " + session.token())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, own.statusCode());
    HttpResponse<byte[]> stolen =
        server
            .http(server.tls(server.pki.client("thief")))
            .send(
                HttpRequest.newBuilder(key)
                    .header("Authorization", "Bearer " + session.token())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, stolen.statusCode());
  }

  @Test
  void aTamperedAuditLogIsDetectedByAuditVerify() throws Exception {
    KbsClient client =
        server.client(server.pki.client("trainer"), server.attester, EvidenceType.SAMPLE);
    client.keyset(KeyServerFixture.MODEL);
    client.keyset(KeyServerFixture.MODEL);
    List<String> lines = server.auditLines();
    assertEquals(
        0,
        KeyServerAgent.run(
            new String[] {"audit", "verify", server.audit.toString()}, sink(), sink()));
    Path tampered = dir.resolve("tampered.jsonl");
    List<String> changed = new java.util.ArrayList<>(lines);
    changed.set(1, lines.get(1).replace("\"allowed\"", "\"refused\""));
    Files.write(tampered, changed, StandardCharsets.UTF_8);
    VerificationFailedException broken =
        assertThrows(VerificationFailedException.class, () -> AuditVerifier.verify(tampered));
    assertTrue(broken.getMessage().contains("line 3"), broken.getMessage());
    assertEquals(
        1,
        KeyServerAgent.run(new String[] {"audit", "verify", tampered.toString()}, sink(), sink()));
    List<String> removed = new java.util.ArrayList<>(lines);
    removed.remove(1);
    Files.write(tampered, removed, StandardCharsets.UTF_8);
    assertThrows(VerificationFailedException.class, () -> AuditVerifier.verify(tampered));
  }

  private HttpResponse<byte[]> auth(HttpClient http, EvidenceType tee) throws Exception {
    HttpResponse<byte[]> response =
        KeyServerFixture.post(
            http, server.base.resolve(KbsProtocol.AUTH), KbsRequest.of(tee).toJson(), null);
    assertEquals(200, response.statusCode());
    return response;
  }

  private byte[] attestation(String nonce, EphemeralKey key) {
    String jwk = key.publicJwk();
    return KbsAttestation.of(nonce, jwk, server.attester.evidence(nonce, jwk)).toJson();
  }

  private HttpResponse<byte[]> resource(
      Pki.Identity client, KbsClient.KbsSession session, String path) throws Exception {
    return server
        .http(server.tls(client))
        .send(
            HttpRequest.newBuilder(server.base.resolve(path))
                .header("Authorization", "Bearer " + session.token())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private void assertRefusedAtTls(SSLContext tls) {
    HttpClient http = server.http(tls);
    assertThrows(
        IOException.class,
        () ->
            KeyServerFixture.post(
                http,
                server.base.resolve(KbsProtocol.AUTH),
                KbsRequest.of(EvidenceType.SAMPLE).toJson(),
                null),
        "the server answered over TLS without a valid client certificate");
  }

  private void assertAudited(String decision, int status, String reason) throws IOException {
    List<String> lines = server.auditLines();
    JsonObject last = StrictJson.parseObject(lines.get(lines.size() - 1), "audit line");
    assertEquals(decision, last.get("decision").getAsString(), last.toString());
    assertEquals(status, last.get("status").getAsInt(), last.toString());
    assertTrue(last.get("reason").getAsString().contains(reason), last.toString());
    assertEquals(lines.size(), AuditVerifier.verify(server.audit).lines());
  }

  private static java.io.PrintWriter sink() {
    return new java.io.PrintWriter(java.io.Writer.nullWriter());
  }

  private static byte[] encrypt(StreamingAead aead, byte[] plaintext, byte[] aad)
      throws IOException, GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream stream = aead.newEncryptingStream(out, aad)) {
      stream.write(plaintext);
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(StreamingAead aead, byte[] ciphertext, byte[] aad)
      throws IOException, GeneralSecurityException {
    try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(ciphertext), aad)) {
      return in.readAllBytes();
    }
  }

  static {
    // StreamingScheme registers Tink's streaming AEAD for the store and the released keysets.
    StreamingScheme.ciphertextSize(0);
  }
}
