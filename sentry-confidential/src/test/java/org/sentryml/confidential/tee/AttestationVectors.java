package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.testkit.TestVectors;

/** The public evidence of the testkit (vectors/README.md, attestation/) and ways to damage it. */
final class AttestationVectors {
  /**
   * A time at which every sample chain is valid (the VLEK's is the shortest: 2024-12-10 to
   * 2025-12-10).
   */
  static final Instant VALID = Instant.parse("2025-06-01T00:00:00Z");

  /** After the TDX v4 PCK (2030-02-07) and the VCEK (2030-01-24) expire. */
  static final Instant EXPIRED = Instant.parse("2031-06-01T00:00:00Z");

  private AttestationVectors() {}

  static byte[] bytes(String name) {
    return TestVectors.bytes("attestation/" + name);
  }

  static Evidence evidence(EvidenceType type, String report) {
    return Evidence.of(type, bytes(report));
  }

  static Evidence evidence(EvidenceType type, String report, String certificates) {
    return new Evidence(type, Octets.of(bytes(report)), Octets.of(bytes(certificates)));
  }

  static byte[] flipped(byte[] original, int index, int mask) {
    byte[] copy = original.clone();
    copy[index] ^= (byte) mask;
    return copy;
  }

  /**
   * Asserts that every copy of {@code report} with one byte changed (each bit pattern in {@code
   * masks}) in {@code [from, to)} is refused as failed verification or malformed input, with a
   * message, and never accepted.
   */
  static void assertEveryFlipRefused(
      EvidenceVerifier verifier, Evidence evidence, int from, int to) {
    byte[] report = evidence.report().toByteArray();
    for (int mask : new int[] {0x01, 0xff}) {
      for (int i = from; i < to; i++) {
        Evidence damaged =
            new Evidence(
                evidence.type(), Octets.of(flipped(report, i, mask)), evidence.certificates());
        int at = i;
        SentryException refusal =
            assertThrows(
                SentryException.class,
                () -> verifier.verify(damaged, VALID),
                () ->
                    String.format(
                        java.util.Locale.ROOT, "byte %d ^ 0x%02x was accepted", at, mask));
        assertTrue(
            refusal instanceof VerificationFailedException
                || refusal instanceof MalformedInputException,
            () -> "byte " + at + ": " + refusal);
        assertTrue(refusal.getMessage() != null && !refusal.getMessage().isBlank());
      }
    }
  }

  /** Asserts that every proper prefix of the report is refused as malformed. */
  static void assertEveryTruncationMalformed(EvidenceVerifier verifier, Evidence evidence) {
    byte[] report = evidence.report().toByteArray();
    for (int length = 0; length < report.length; length++) {
      Evidence truncated =
          new Evidence(
              evidence.type(), Octets.of(Arrays.copyOf(report, length)), evidence.certificates());
      int at = length;
      assertThrows(
          MalformedInputException.class,
          () -> verifier.verify(truncated, VALID),
          () -> "a report truncated to " + at + " bytes was not refused as malformed");
    }
  }
}
