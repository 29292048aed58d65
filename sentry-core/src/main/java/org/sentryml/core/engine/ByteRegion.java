package org.sentryml.core.engine;

import java.nio.ByteBuffer;
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

  /**
   * Bytes already in memory: a file read once into private memory, so that the bytes that are
   * verified are the very bytes that get used (DESIGN §1.3). Holds a read-only view, not a copy.
   */
  record MemoryRegion(ByteBuffer buffer) implements ByteRegion {
    public MemoryRegion {
      buffer = buffer.asReadOnlyBuffer().slice();
    }

    @Override
    public ByteBuffer buffer() {
      return buffer.duplicate();
    }

    @Override
    public long length() {
      return buffer.remaining();
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
