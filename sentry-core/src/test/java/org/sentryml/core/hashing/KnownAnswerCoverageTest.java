package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every algorithm Sentry offers must ship published known-answer vectors. */
class KnownAnswerCoverageTest {
  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void everyAlgorithmHasAKnownAnswerFile(HashAlgorithm algorithm) {
    int vectors = JdkAlgorithmsKnownAnswerTest.vectorLines(algorithm.id() + "-kat.txt").size();
    assertTrue(vectors >= 3, algorithm.id() + " has only " + vectors + " known-answer lines");
  }
}
