package org.sentryml.training.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.data.dataset.Sample;
import org.sentryml.testkit.TestTags;

/**
 * Training is a function of the seed and the batches: the same steps give the same parameter bytes,
 * and a run continued from a snapshot in a new session ends where the uninterrupted one ends.
 */
@Tag(TestTags.E2E)
class TrainingSnapshotTest {
  private static final int STEPS = 8;
  private static final int BATCH = 16;
  private static List<Sample> samples;
  private static ClassifierSpec spec;

  @BeforeAll
  static void pinThreads() {
    EngineThreads.pin(1);
    samples = ClassifierSessionTest.quadrants(STEPS * BATCH, 5);
    spec = ImageFeatures.specFor(samples.get(0), 4);
  }

  private static ClassifierSession session() {
    return ClassifierSession.create(spec, new TrainingConfig(1, BATCH, 1e-3f, 17), null);
  }

  private static void train(ClassifierSession session, int from, int to) {
    for (int step = from; step < to; step++) {
      session.trainBatch(samples.subList(step * BATCH, (step + 1) * BATCH));
    }
  }

  private static byte[] uninterrupted() {
    try (ClassifierSession session = session()) {
      train(session, 0, STEPS);
      return session.snapshot().parameters();
    }
  }

  @Test
  void theSameSeedAndBatchesGiveTheSameParameterBytes() {
    assertArrayEquals(uninterrupted(), uninterrupted());
  }

  @Test
  void aRunContinuedFromASnapshotEndsOnTheSameBits() {
    ClassifierSession.Snapshot middle;
    try (ClassifierSession first = session()) {
      train(first, 0, STEPS / 2);
      middle = first.snapshot();
    }
    assertEquals(STEPS / 2, middle.steps());
    try (ClassifierSession second = session()) {
      second.restore(middle);
      train(second, STEPS / 2, STEPS);
      assertArrayEquals(uninterrupted(), second.snapshot().parameters());
    }
  }

  @Test
  void withoutTheOptimizerStateTheContinuedRunDiffers() {
    ClassifierSession.Snapshot middle;
    try (ClassifierSession first = session()) {
      train(first, 0, STEPS / 2);
      middle = first.snapshot();
    }
    ClassifierSession.Snapshot weightsOnly =
        new ClassifierSession.Snapshot(middle.parameters(), NamedTensors.encode(Map.of()), 0);
    try (ClassifierSession second = session()) {
      second.restore(weightsOnly);
      train(second, STEPS / 2, STEPS);
      assertFalse(Arrays.equals(uninterrupted(), second.snapshot().parameters()));
    }
  }

  @Test
  void aSnapshotOfAnotherNetworkIsRefused() {
    ClassifierSession.Snapshot other;
    ClassifierSpec wider = ClassifierSpec.image(1, 16, 16, 7);
    try (ClassifierSession session =
        ClassifierSession.create(wider, new TrainingConfig(1, BATCH, 1e-3f, 17), null)) {
      other = session.snapshot();
    }
    try (ClassifierSession session = session()) {
      MalformedInputException e =
          assertThrows(MalformedInputException.class, () -> session.restore(other));
      assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
  }
}
