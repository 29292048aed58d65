package org.sentryml.training.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Embeds INT64 token ids {@code (B, T)} and averages the embeddings of the non-padding ids (id 0
 * pads) into {@code (B, E)}; a row of padding only averages to zeros. DJL's own embedding block
 * looks items up by value, not by id, hence this small block.
 */
final class MaskedMeanEmbedding extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int embeddingSize;
  private final Parameter weight;

  MaskedMeanEmbedding(int vocabSize, int embeddingSize) {
    super(VERSION);
    this.embeddingSize = embeddingSize;
    this.weight =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabSize, embeddingSize))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray table = store.getValue(weight, ids.getDevice(), training);
    NDArray embedded = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    NDArray mask = ids.gt(0).toType(embedded.getDataType(), false);
    NDArray sum = embedded.mul(mask.expandDims(2)).sum(new int[] {1});
    NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
    return new NDList(sum.div(count));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), embeddingSize)};
  }
}
