package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as sample evidence: the parser either returns evidence that writes back to JSON it
 * reads the same way or refuses with a {@link SentryException}; nothing else may escape.
 */
class SampleEvidenceFuzzTest {
  @FuzzTest
  void evidenceIsAcceptedOnlyWhenItRoundTrips(byte[] input) {
    SampleEvidence evidence;
    try {
      evidence = SampleEvidence.parse(input);
    } catch (SentryException expected) {
      return;
    }
    if (!SampleEvidence.parse(evidence.toJson()).equals(evidence)) {
      throw new AssertionError("accepted sample evidence that does not round-trip");
    }
  }
}
