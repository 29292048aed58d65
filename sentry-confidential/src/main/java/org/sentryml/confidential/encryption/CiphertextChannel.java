package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sentryml.core.errors.PathProblems;

/**
 * A ciphertext file as Tink reads it, with every failure of the file itself marked as a {@link
 * ReadFailure}. Tink reports a segment that fails authentication as an {@code IOException} too;
 * the mark is what tells a disk that failed (exit 4) from a ciphertext that was changed (exit 1).
 * Read-only; not thread-safe, as a file channel's position is not.
 */
final class CiphertextChannel implements SeekableByteChannel {
  /** An I/O failure of the ciphertext file, as opposed to one of its authentication. */
  static final class ReadFailure extends IOException {
    private static final long serialVersionUID = 1L;

    ReadFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private final FileChannel file;

  private CiphertextChannel(FileChannel file) {
    this.file = file;
  }

  static CiphertextChannel open(Path file) {
    try {
      return new CiphertextChannel(FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  /** The file's own failure in {@code failure}'s chain of causes, if it holds one. */
  static IOException fileFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ReadFailure read) {
        return (IOException) read.getCause();
      }
    }
    return null;
  }

  /**
   * The file as a stream that supports {@code mark} and {@code reset} by file position. Tink's
   * keyset-wide decrypting stream must be able to rewind to try each key of a rotated keyset; given
   * a stream without marks it wraps it in a {@code BufferedInputStream} marked over the whole first
   * segment, an extra copy of every byte. With marks it reads straight from the file.
   */
  InputStream markableStream() {
    return new InputStream() {
      private long mark;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        return length == 0 ? 0 : CiphertextChannel.this.read(ByteBuffer.wrap(buffer, offset, length));
      }

      @Override
      public boolean markSupported() {
        return true;
      }

      @Override
      public void mark(int readLimit) {
        try {
          mark = position();
        } catch (IOException e) {
          // reset() reports the failure when it is needed; a mark that was never used costs nothing.
          mark = -1;
        }
      }

      @Override
      public void reset() throws IOException {
        if (mark < 0) {
          throw new IOException("no position to return to");
        }
        position(mark);
      }

      @Override
      public void close() throws IOException {
        CiphertextChannel.this.close();
      }
    };
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      return file.read(dst);
    } catch (IOException e) {
      throw new ReadFailure(e);
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    try {
      return file.position();
    } catch (IOException e) {
      throw new ReadFailure(e);
    }
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    try {
      file.position(newPosition);
      return this;
    } catch (IOException e) {
      throw new ReadFailure(e);
    }
  }

  @Override
  public long size() throws IOException {
    try {
      return file.size();
    } catch (IOException e) {
      throw new ReadFailure(e);
    }
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return file.isOpen();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
