package org.sentryml.core.dataset;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads labelled rows out of an upstream file (a parquet file of a Hub dataset). */
public interface UpstreamReader {
  /** The label of every row, in row order: a cheap first pass that decides the split. */
  int[] labels(Path file);

  /**
   * Streams the rows as samples keyed {@code split/<index>}, indices counting from {@code
   * firstIndex} in row order.
   */
  void forEach(Path file, String split, long firstIndex, Consumer<Sample> sink);
}
