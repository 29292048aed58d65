package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sentryml.core.attestation.AttestationFixtures.assertBadInput;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.json.StrictJson;

class DsseEnvelopeTest {
  @Test
  void construction_copiesBytesInAndOut() {
    byte[] payload = {1, 2, 3};
    byte[] sig = {9};
    DsseEnvelope envelope = DsseEnvelope.of(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload, sig);
    payload[0] = 7;
    sig[0] = 7;
    envelope.payload()[1] = 7;
    envelope.signatures().get(0).sig()[0] = 7;
    assertArrayEquals(new byte[] {1, 2, 3}, envelope.payload());
    assertArrayEquals(new byte[] {9}, envelope.signatures().get(0).sig());
    assertEquals(
        DsseEnvelope.of(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, new byte[] {1, 2, 3}, new byte[] {9}),
        envelope);
  }

  @Test
  void construction_rejectsMissingParts() {
    assertThrows(
        IllegalArgumentException.class, () -> new DsseEnvelope("", new byte[0], List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DsseEnvelope(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, new byte[0], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new DsseEnvelope.Signature("", new byte[0]));
  }

  @Test
  void pae_isTheEncodingOfTypeAndPayload() {
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    DsseEnvelope envelope =
        DsseEnvelope.of(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload, new byte[] {1});
    assertArrayEquals(Pae.encode(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload), envelope.pae());
  }

  @Test
  void strictJson_limitsNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertBadInput(
        () -> StrictJson.parseObject("{\"a\":" + deep + "}", "bundle"), "nesting deeper");
  }
}
