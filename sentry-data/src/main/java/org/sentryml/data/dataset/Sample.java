package org.sentryml.data.dataset;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * One labelled sample as it travels from the upstream parquet files through the shards into
 * training and inference.
 *
 * @param key the WebDataset key, {@code <split>/<index>} (e.g. {@code train/00000042}); unique in
 *     the dataset and bound into the sample's lattice element
 * @param label the class index
 * @param data the payload: encoded image bytes (PNG) or UTF-8 text, exactly as stored
 * @param kind what {@code data} holds, which fixes the shard member's extension
 */
public record Sample(String key, int label, byte[] data, SampleKind kind) {
  public Sample {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(kind, "kind");
    if (key.isEmpty() || key.contains(".") || key.startsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException("a sample key is a relative path without dots: " + key);
    }
    if (label < 0) {
      throw new IllegalArgumentException("a label is a class index >= 0, not " + label);
    }
  }

  /**
   * The key of the sample at {@code index} (counted from 0 across the split's files, in file order)
   * of {@code split}: {@code <split>/<index>}, the index zero-padded to eight digits. Every reader
   * of parquet rows (the DuckDB cursor, the Spark job) names samples this way, and the split hashes
   * this key (docs/FORMAT.md).
   */
  public static String keyOf(String split, long index) {
    return split + "/" + String.format(Locale.ROOT, "%08d", index);
  }

  /** The split the key names ({@code train}, {@code test}, ...). */
  public String split() {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  /** The label as stored in the {@code .cls} member and hashed into the lattice: ASCII decimal. */
  public byte[] labelBytes() {
    return Integer.toString(label).getBytes(StandardCharsets.US_ASCII);
  }
}
