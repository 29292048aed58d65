package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gamma(a, 1) has mean a and variance a. With n draws the sample mean's standard error is sqrt(a /
 * n) and the sample variance's is about sqrt((2a^2 + 6a) / n) (the fourth central moment is 3a(a +
 * 2)). Five standard errors make a false failure a 1-in-a-million event for an unseeded run; the
 * seed fixes the draws, so a pass is reproducible.
 */
class GammaSamplerTest {
  private static final int N = 200_000;

  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.3, 1.0, 2.5, 10.0, 100.0})
  void sampleMeanAndVarianceMatchTheShape(double a) {
    SplittableRandom random = new SplittableRandom(20261123L);
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < N; i++) {
      double x = GammaSampler.sample(random, a);
      assertTrue(x >= 0 && Double.isFinite(x), "draw " + x);
      sum += x;
      sumSquares += x * x;
    }
    double mean = sum / N;
    double variance = (sumSquares - N * mean * mean) / (N - 1);
    assertEquals(a, mean, 5 * Math.sqrt(a / N), "mean");
    assertEquals(a, variance, 5 * Math.sqrt((2 * a * a + 6 * a) / N), "variance");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void shapeOutsideThePositiveRealsIsRejected(double a) {
    assertThrows(
        IllegalArgumentException.class, () -> GammaSampler.sample(new SplittableRandom(1), a));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.001, 0.01})
  void logDrawsStayFiniteWhereTheDrawItselfUnderflows(double a) {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(Double.isFinite(GammaSampler.sampleLog(random, a)));
    }
  }
}
