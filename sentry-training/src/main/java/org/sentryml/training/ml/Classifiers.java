package org.sentryml.training.ml;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import org.sentryml.data.dataset.SampleKind;

/** The networks a {@link ClassifierSpec} names, built from DJL's engine-neutral blocks. */
final class Classifiers {
  private Classifiers() {}

  /** text-v1's embedding width. */
  static final int TEXT_EMBEDDING = 64;

  static Block build(ClassifierSpec spec) {
    if (spec.kind() == SampleKind.TEXT) {
      // text-v1: mean of the token embeddings, then a linear layer: a bag-of-words classifier.
      return new SequentialBlock()
          .add(new MaskedMeanEmbedding(spec.vocabSize(), TEXT_EMBEDDING))
          .add(Linear.builder().setUnits(spec.classes()).build());
    }
    // cnn-v1: two 5x5 convolutions with max pooling, then a 128-unit hidden layer; small enough to
    // train on a laptop CPU in seconds per epoch, enough for >97% on MNIST.
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(5, 5))
                .optPadding(new Shape(2, 2))
                .setFilters(32)
                .build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(5, 5))
                .optPadding(new Shape(2, 2))
                .setFilters(64)
                .build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(128).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(spec.classes()).build());
  }

  /** The input shape for a batch of {@code n}. */
  static Shape inputShape(ClassifierSpec spec, int n) {
    return spec.kind() == SampleKind.TEXT
        ? new Shape(n, spec.maxTokens())
        : new Shape(n, spec.channels(), spec.height(), spec.width());
  }
}
