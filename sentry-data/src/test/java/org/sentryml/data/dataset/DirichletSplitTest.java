package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

class DirichletSplitTest {
  private static final int CLASSES = 10;
  private static final int SOURCES = 10;

  /** The keys of {@code n} samples of the train split. */
  private static String[] keys(int n) {
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = Sample.keyOf("train", i);
    }
    return keys;
  }

  private static int[] assign(DirichletSplit split, int[] labels) {
    return split.assign(labels, keys(labels.length));
  }

  /** 10,000 samples, 1,000 per class, in a scrambled order. */
  private static int[] labels() {
    int[] labels = new int[10_000];
    SplittableRandom random = new SplittableRandom(99);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % CLASSES;
    }
    for (int i = labels.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    return labels;
  }

  @Test
  void everySampleLandsInExactlyOneSource() {
    int[] labels = labels();
    DirichletSplit split = new DirichletSplit(SOURCES, 0.5, 1);
    int[] assignment = assign(split, labels);
    assertEquals(labels.length, assignment.length);
    for (int s : assignment) {
      assertTrue(s >= 0 && s < SOURCES, "source " + s);
    }
    assertEquals(labels.length, Arrays.stream(split.sourceSizes(assignment)).sum());
    int[][] counts = split.classCounts(labels, assignment);
    for (int c = 0; c < CLASSES; c++) {
      int total = 0;
      for (int s = 0; s < SOURCES; s++) {
        total += counts[s][c];
      }
      assertEquals(1_000, total, "class " + c);
    }
  }

  @Test
  void sameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    int[] labels = labels();
    int[] first = assign(new DirichletSplit(SOURCES, 0.5, 42), labels);
    assertArrayEquals(first, assign(new DirichletSplit(SOURCES, 0.5, 42), labels));
    assertFalse(Arrays.equals(first, assign(new DirichletSplit(SOURCES, 0.5, 43), labels)));
  }

  @Test
  void oneSourceTakesEverything() {
    int[] assignment = assign(new DirichletSplit(1, 0.1, 5), labels());
    assertTrue(Arrays.stream(assignment).allMatch(s -> s == 0));
  }

  @Test
  void emptyAndSparseLabelsAreFine() {
    assertEquals(0, assign(new DirichletSplit(3, 1, 0), new int[0]).length);
    int[] assignment = assign(new DirichletSplit(3, 1, 0), new int[] {1_000_000, 0, 1_000_000});
    assertEquals(3, assignment.length);
  }

  /**
   * Mean over classes of the total-variation distance between a class's spread over the sources and
   * the uniform spread. For Dirichlet(1000) with 10 sources each proportion has standard deviation
   * sqrt(0.1 * 0.9 / 10001) ≈ 0.003; each sample then lands by its hashed position, which adds
   * binomial noise to a source's count of 1,000 samples: sd sqrt(1000 * 0.1 * 0.9) ≈ 9.5 samples.
   * Together a count deviates from 100 by about 10 * sqrt(2/pi) ≈ 8 on average, a distance of about
   * 10 * 8 / 1000 / 2 = 0.04 per class: below 0.06. For Dirichlet(0.05) the total concentration is
   * 0.5, so most of a class goes to one or two sources: the distance is typically above 0.7, and
   * 0.5 leaves room.
   */
  private static double meanDistanceFromUniform(double alpha, long seed) {
    int[] labels = labels();
    DirichletSplit split = new DirichletSplit(SOURCES, alpha, seed);
    int[][] counts = split.classCounts(labels, assign(split, labels));
    double sum = 0;
    for (int c = 0; c < CLASSES; c++) {
      double distance = 0;
      for (int s = 0; s < SOURCES; s++) {
        distance += Math.abs(counts[s][c] / 1_000.0 - 1.0 / SOURCES);
      }
      sum += distance / 2;
    }
    return sum / CLASSES;
  }

  @Test
  void smallAlphaSkewsEveryClassAndLargeAlphaSpreadsItEvenly() {
    for (long seed = 1; seed <= 5; seed++) {
      double skewed = meanDistanceFromUniform(0.05, seed);
      double even = meanDistanceFromUniform(1000, seed);
      assertTrue(skewed > 0.5, "alpha 0.05, seed " + seed + ": " + skewed);
      assertTrue(even < 0.06, "alpha 1000, seed " + seed + ": " + even);
    }
  }

  @Test
  void aSamplesSourceDoesNotDependOnReadOrderOrOnOtherSamples() {
    int[] labels = labels();
    String[] keys = keys(labels.length);
    DirichletSplit split = new DirichletSplit(SOURCES, 0.3, 7);
    int[] forward = split.assign(labels, keys);
    int[] reversedLabels = new int[labels.length];
    String[] reversedKeys = new String[labels.length];
    for (int i = 0; i < labels.length; i++) {
      reversedLabels[i] = labels[labels.length - 1 - i];
      reversedKeys[i] = keys[labels.length - 1 - i];
    }
    int[] backward = split.assign(reversedLabels, reversedKeys);
    for (int i = 0; i < labels.length; i++) {
      assertEquals(forward[i], backward[labels.length - 1 - i], keys[i]);
    }
    DirichletSplit.Assigner alone = split.assigner();
    for (int i = 0; i < labels.length; i += 997) {
      assertEquals(forward[i], alone.sourceOf(labels[i], keys[i]), keys[i]);
    }
  }

  @Test
  void theKeyAndTheClassBothMoveASample() {
    DirichletSplit split = new DirichletSplit(SOURCES, 1, 11);
    int[] labels = new int[2_000];
    int[] sameKeysOtherClass = new int[2_000];
    Arrays.fill(sameKeysOtherClass, 1);
    int[] byKey = split.assign(labels, keys(labels.length));
    int[] byClass = split.assign(sameKeysOtherClass, keys(labels.length));
    assertTrue(Arrays.stream(byKey).distinct().count() > 1, "one class spreads over its sources");
    assertFalse(Arrays.equals(byKey, byClass), "another class cuts its samples elsewhere");
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void alphaOutsideThePositiveRealsIsAUsageError(double alpha) {
    SentryException e = assertThrows(SentryException.class, () -> new DirichletSplit(4, alpha, 1));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
  }

  @Test
  void zeroSourcesIsAUsageError() {
    assertInstanceOf(
        UsageException.class,
        assertThrows(SentryException.class, () -> new DirichletSplit(0, 1, 1)));
  }

  @Test
  void negativeLabelIsBadInput() {
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(
            SentryException.class, () -> assign(new DirichletSplit(2, 1, 1), new int[] {0, -3})));
  }

  @Test
  void proportionsSumToOneEvenForTinyAlpha() {
    DirichletSplit split = new DirichletSplit(50, 0.001, 3);
    double[] p = split.proportions(new SplittableRandom(1));
    assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
    assertTrue(Arrays.stream(p).allMatch(x -> x >= 0 && Double.isFinite(x)));
  }
}
