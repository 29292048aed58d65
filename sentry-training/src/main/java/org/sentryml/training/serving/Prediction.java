package org.sentryml.training.serving;

/**
 * One input's answer: the most probable class and the probability of every class (softmax over the
 * network's outputs). Immutable.
 */
public final class Prediction {
  private final int label;
  private final float[] probabilities;

  public Prediction(float[] probabilities) {
    if (probabilities.length == 0) {
      throw new IllegalArgumentException("a prediction needs at least one class");
    }
    this.probabilities = probabilities.clone();
    int best = 0;
    for (int i = 1; i < this.probabilities.length; i++) {
      if (this.probabilities[i] > this.probabilities[best]) {
        best = i;
      }
    }
    this.label = best;
  }

  /** The class index with the highest probability (the lowest such index on a tie). */
  public int label() {
    return label;
  }

  public int classes() {
    return probabilities.length;
  }

  public float probability(int label) {
    return probabilities[label];
  }

  public float[] probabilities() {
    return probabilities.clone();
  }
}
