package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sentryml.core.errors.PathProblems;

/**
 * A ciphertext file as Tink reads it, with every failure of the file itself marked as a {@link
 * ReadFailure}. Tink reports a segment that fails authentication as an {@code IOException} too; the
 * mark is what tells a disk that failed (exit 4) from a ciphertext that was changed (exit 1).
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
