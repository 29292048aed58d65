package org.sentryml.data.dataset;

import java.util.random.RandomGenerator;

/**
 * Draws from the Gamma(shape, 1) distribution with Marsaglia and Tsang's squeeze method ("A simple
 * method for generating gamma variables", ACM TOMS 26(3), 2000), boosted for shapes below 1 by
 * {@code Gamma(a) = Gamma(a + 1) * U^(1/a)}. Pure functions of the generator passed in; as
 * thread-safe as that generator.
 */
public final class GammaSampler {
  private GammaSampler() {}

  /**
   * One draw from Gamma(shape, 1).
   *
   * @throws IllegalArgumentException if {@code shape} is not a finite number > 0
   */
  public static double sample(RandomGenerator random, double shape) {
    return Math.exp(sampleLog(random, shape));
  }

  /**
   * The natural logarithm of one draw from Gamma(shape, 1). For small shapes the draw itself
   * underflows to 0 far too often (U^(1/0.01) is below 1e-308 for U below 0.0009); its logarithm
   * stays finite, so Dirichlet proportions computed from logs never divide 0 by 0.
   */
  public static double sampleLog(RandomGenerator random, double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("a Gamma shape is a finite number > 0, not " + shape);
    }
    if (shape < 1) {
      // 1 - nextDouble() lies in (0, 1], so the logarithm is finite.
      double u = 1.0 - random.nextDouble();
      return Math.log(squeeze(random, shape + 1)) + Math.log(u) / shape;
    }
    return Math.log(squeeze(random, shape));
  }

  /** Marsaglia–Tsang for shape >= 1. */
  private static double squeeze(RandomGenerator random, double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1.0 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1.0 - random.nextDouble();
      double x2 = x * x;
      // The cheap squeeze accepts about 98% of candidates without a logarithm.
      if (u < 1.0 - 0.0331 * x2 * x2) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
