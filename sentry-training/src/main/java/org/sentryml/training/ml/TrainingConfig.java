package org.sentryml.training.ml;

/** How to train: epochs, batch size, Adam's learning rate, and the seed of every random choice. */
public record TrainingConfig(int epochs, int batchSize, float learningRate, long seed) {
  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("at least one epoch, not " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive number, not " + learningRate);
    }
  }
}
