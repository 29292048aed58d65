package org.sentryml.data.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pending bytes of many files held in bounded memory: each file is opened only for the moment
 * its bytes are appended, so writing one shard per source never holds one descriptor per source
 * (thousands of sources would pass the open-file limit). When the bytes held pass the limit, every
 * file's pending bytes are appended, one file at a time. Not thread-safe.
 */
final class AppendBuffers {
  /** Memory for pending bytes when nothing else is said: enough that appends stay large. */
  static final long DEFAULT_LIMIT = 64L << 20;

  private final long limit;
  private final Set<Output> outputs = new LinkedHashSet<>();
  private long held;

  AppendBuffers(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least one byte, not " + limit);
    }
    this.limit = limit;
  }

  /**
   * Creates {@code file}, which must not exist yet, and returns the stream whose bytes it receives.
   */
  Output create(Path file) throws IOException {
    Files.createFile(file);
    Output output = new Output(file);
    outputs.add(output);
    return output;
  }

  private void grew(int bytes) throws IOException {
    held += bytes;
    if (held > limit) {
      for (Output output : outputs) {
        output.append();
      }
    }
  }

  /** One file's stream. {@link #force()} appends what is pending and forces the file to disk. */
  final class Output extends OutputStream {
    private final Path file;
    private byte[] pending = new byte[256];
    private int size;

    private Output(Path file) {
      this.file = file;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (size + length > pending.length) {
        pending = Arrays.copyOf(pending, Math.max(size + length, 2 * pending.length));
      }
      System.arraycopy(bytes, offset, pending, size, length);
      size += length;
      grew(length);
    }

    /** Appends the pending bytes, forces the file to disk and forgets the file. */
    void force() throws IOException {
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        appendTo(channel);
        channel.force(true);
      }
      outputs.remove(this);
    }

    private void append() throws IOException {
      if (size > 0) {
        try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
          appendTo(channel);
        }
      }
    }

    private void appendTo(FileChannel channel) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(pending, 0, size);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      held -= size;
      size = 0;
      // A fresh small array: a source's peak does not stay allocated once written out.
      pending = new byte[256];
    }
  }
}
