package org.sentryml.confidential.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.MalformedInputException;

class KbsMessagesTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTrusteeRequestParses() {
    KbsRequest request =
        KbsRequest.parse(utf8("{\"version\":\"0.4.0\",\"tee\":\"tdx\",\"extra-params\":\"\"}"));
    assertEquals(EvidenceType.TDX, request.tee());
  }

  @Test
  void requestsWithAnotherVersionUnknownMembersOrDuplicatesAreRefused() {
    assertThrows(
        MalformedInputException.class,
        () ->
            KbsRequest.parse(utf8("{\"version\":\"0.1.0\",\"tee\":\"tdx\",\"extra-params\":{}}")));
    assertThrows(
        MalformedInputException.class,
        () -> KbsRequest.parse(utf8("{\"version\":\"0.4.0\",\"tee\":\"tdx\",\"x\":1}")));
    assertThrows(
        MalformedInputException.class,
        () -> KbsRequest.parse(utf8("{\"version\":\"0.4.0\",\"tee\":\"tdx\",\"tee\":\"snp\"}")));
    assertThrows(
        MalformedInputException.class,
        () -> KbsRequest.parse(utf8("{\"version\":\"0.4.0\",\"tee\":\"cca\"}")));
  }

  @Test
  void anAttestationRoundTripsAndRefusesAdditionalEvidence() {
    String jwk = EphemeralKey.generate().publicJwk();
    String body =
        "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":"
            + jwk
            + "},\"tee-evidence\":{\"primary_evidence\":{\"quote\":\"AAAA\"},\"additional_evidence\":\"\"}}";
    KbsAttestation attestation = KbsAttestation.parse(utf8(body));
    assertEquals("n", attestation.nonce());
    assertEquals(3, attestation.evidence(EvidenceType.TDX).report().length());
    assertEquals(
        attestation.teePubkeyJwk(), KbsAttestation.parse(attestation.toJson()).teePubkeyJwk());
    String additional =
        body.replace(
            "\"additional_evidence\":\"\"", "\"additional_evidence\":\"{\\\"nvidia\\\":1}\"");
    assertThrows(MalformedInputException.class, () -> KbsAttestation.parse(utf8(additional)));
  }

  @Test
  void resourcePathsNameDataKeysBothWays() {
    KeyId id = KeyId.parse("sentry:dataset/mnist@2025-06-01").orElseThrow();
    assertEquals(
        "/kbs/v0/resource/sentry/dataset-key/mnist@2025-06-01", KbsProtocol.resourcePath(id));
    assertEquals(id, KbsProtocol.keyIdOf(KbsProtocol.resourcePath(id)).orElseThrow());
    assertEquals(true, KbsProtocol.keyIdOf("/kbs/v0/resource/other/model-key/m@1").isEmpty());
    assertEquals(true, KbsProtocol.keyIdOf("/kbs/v0/resource/sentry/model-key/../x@1").isEmpty());
  }
}
