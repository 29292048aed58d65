package org.sentryml.core.engine;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * A hashing backend. Every engine gives bit-identical digests for the same resources and options
 * (DESIGN §1.4); engines differ only in speed. Thread-safe; close it to release threads and native
 * resources.
 */
public interface HashEngine extends AutoCloseable {

  /** A short name for messages, e.g. {@code cpu (2 threads)}. */
  String description();

  /** Digests of {@code resources}, in the same order. */
  List<ResourceDigest> hash(List<Resource> resources, HashingOptions options);

  /**
   * As {@link #hash(List, HashingOptions)}, telling {@code bytesDone} how many more bytes are
   * hashed as the work goes on (engines that cannot tell report everything at the end).
   */
  default List<ResourceDigest> hash(
      List<Resource> resources, HashingOptions options, LongConsumer bytesDone) {
    List<ResourceDigest> digests = hash(resources, options);
    bytesDone.accept(resources.stream().mapToLong(Resource::size).sum());
    return digests;
  }

  @Override
  void close();
}
