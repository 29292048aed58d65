package org.sentryml.core.engine;

import java.util.List;

/**
 * A named unit of a model that gets its own digest: a file, a tensor of a safetensors file, or
 * (coalesced workflow) the whole folder. Its content is the concatenation of its regions.
 *
 * @param name relative POSIX path, {@code "."} for a single-file model, {@code file#tensor} for a
 *     tensor
 */
public record Resource(String name, List<ByteRegion> regions) {
  public Resource {
    regions = List.copyOf(regions);
  }

  public long size() {
    return regions.stream().mapToLong(ByteRegion::length).sum();
  }
}
