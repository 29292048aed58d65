package org.sentryml.core.manifest;

import java.nio.file.Path;

/** A run of bytes that forms part of a resource's stream. */
public sealed interface ByteRegion {
  long length();

  /** {@code length} bytes of {@code file} starting at {@code offset}. */
  record FileRegion(Path file, long offset, long length) implements ByteRegion {
    public FileRegion {
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("negative offset or length for " + file);
      }
    }
  }

  /** Bytes that are not in any file, such as the framing of a coalesced stream. */
  record InlineBytes(byte[] bytes) implements ByteRegion {
    public InlineBytes {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public long length() {
      return bytes.length;
    }
  }
}
