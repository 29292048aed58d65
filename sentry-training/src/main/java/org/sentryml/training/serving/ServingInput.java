package org.sentryml.training.serving;

import org.jspecify.annotations.Nullable;
import org.sentryml.data.dataset.Sample;

/**
 * One input of a prediction request: the sample as received and, for an image, its pixels decoded
 * on the request's own thread, so that the batch thread runs only the forward pass.
 */
public final class ServingInput {
  private final Sample sample;
  private final float @Nullable [] pixels;

  private ServingInput(Sample sample, float @Nullable [] pixels) {
    this.sample = sample;
    this.pixels = pixels;
  }

  /** An image, decoded: {@code pixels} as {@code ImageFeatures.write} lays them out. */
  public static ServingInput image(Sample sample, float[] pixels) {
    return new ServingInput(sample, pixels.clone());
  }

  /** A text, tokenised by the batch thread (the tokenizer is not thread-safe). */
  public static ServingInput text(Sample sample) {
    return new ServingInput(sample, null);
  }

  public Sample sample() {
    return sample;
  }

  boolean decoded() {
    return pixels != null;
  }

  /** Copies the decoded pixels into {@code target} at {@code offset}. */
  void copyPixels(float[] target, int offset) {
    if (pixels == null) {
      throw new IllegalStateException("a text input has no pixels");
    }
    System.arraycopy(pixels, 0, target, offset, pixels.length);
  }

  int pixelCount() {
    return pixels == null ? 0 : pixels.length;
  }
}
