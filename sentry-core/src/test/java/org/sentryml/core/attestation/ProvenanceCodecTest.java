package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.Digest;

class ProvenanceCodecTest {
  @Test
  void provenanceRoundTripsAsSlsaV1() {
    JsonObject parameters = new JsonObject();
    parameters.addProperty("epochs", 3);
    parameters.addProperty("architecture", "cnn-v1");
    ProvenanceCodec.Provenance provenance =
        new ProvenanceCodec.Provenance(
            "models",
            Digest.ofHex("sha256", "ab".repeat(32)),
            List.of(
                new ProvenanceCodec.Material(
                    "sentryml/mnist-subset/source-00",
                    "hf://datasets/sentryml/mnist-subset@" + "c".repeat(40) + "#source-00",
                    Digest.ofHex("sha256", "cd".repeat(32)))),
            parameters,
            "https://sentryml.org/sentry-trainer@0.1.0",
            Instant.parse("2026-11-23T04:00:00Z"),
            Instant.parse("2026-11-23T04:01:00Z"));
    byte[] bytes = ProvenanceCodec.encode(provenance);
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(json.contains("\"predicateType\":\"https://slsa.dev/provenance/v1\""), json);
    ProvenanceCodec.Provenance decoded = ProvenanceCodec.decode(bytes, "provenance.sig");
    assertEquals(provenance.modelRoot(), decoded.modelRoot());
    assertEquals(provenance.materials(), decoded.materials());
    assertEquals(3, decoded.parameters().get("epochs").getAsInt());
    assertEquals(provenance.finishedOn(), decoded.finishedOn());
  }

  @Test
  void unknownBuildTypeIsRejected() {
    String json =
        new String(
            ProvenanceCodec.encode(
                new ProvenanceCodec.Provenance(
                    "m",
                    Digest.ofHex("sha256", "00".repeat(32)),
                    List.of(),
                    new JsonObject(),
                    "b",
                    Instant.EPOCH,
                    Instant.EPOCH)),
            StandardCharsets.UTF_8);
    String other = json.replace(ProvenanceCodec.BUILD_TYPE, "https://example.com/other");
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> ProvenanceCodec.decode(other.getBytes(StandardCharsets.UTF_8), "provenance.sig"));
    assertTrue(e.getMessage().contains("buildType"), e.getMessage());
  }
}
