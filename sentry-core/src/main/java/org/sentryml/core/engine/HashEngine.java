package org.sentryml.core.engine;

import java.util.List;
import org.sentryml.core.manifest.Resource;

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

  @Override
  void close();
}
