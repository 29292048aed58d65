package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * Random access to the plaintext of one encrypted file through Tink's seekable decrypting channel:
 * a read at any position decrypts and authenticates only the segments it touches (each bound to its
 * index, so a segment moved within the file fails), which is how one tensor is read without
 * decrypting the rest. Failures throw the unchecked exceptions of {@link DecryptionFailures}.
 * {@link #size()} is the header's plaintext size, which {@link EncryptedFolder} checked against the
 * ciphertext's length. Read-only; not thread-safe.
 */
final class DecryptingChannel implements SeekableByteChannel {
  private final SeekableByteChannel plaintext;
  private final Path file;
  private final KeyId keyId;
  private final long size;

  DecryptingChannel(SeekableByteChannel plaintext, Path file, KeyId keyId, long size) {
    this.plaintext = plaintext;
    this.file = file;
    this.keyId = keyId;
    this.size = size;
  }

  /** The encrypted file, for messages. */
  Path file() {
    return file;
  }

  @Override
  public int read(ByteBuffer dst) {
    try {
      return plaintext.read(dst);
    } catch (IOException e) {
      throw DecryptionFailures.of(file, keyId, e);
    }
  }

  @Override
  public long position() {
    try {
      return plaintext.position();
    } catch (IOException e) {
      throw DecryptionFailures.of(file, keyId, e);
    }
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    try {
      plaintext.position(newPosition);
      return this;
    } catch (IOException e) {
      throw DecryptionFailures.of(file, keyId, e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return plaintext.isOpen();
  }

  @Override
  public void close() throws IOException {
    plaintext.close();
  }
}
