package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The plaintext of one encrypted file, read from the start through its {@link DecryptingChannel},
 * authenticated segment by segment as it is read. The end of the stream is reported only after the
 * last segment authenticated and the byte count equals the header's plaintext size; a failure
 * throws the unchecked {@link org.sentryml.core.errors.SentryException} of {@link
 * DecryptionFailures} (never a bare {@code IOException}), so that a caller's I/O handling cannot
 * mistake a forged file for a disk error. Plaintext handed out before a failure was authentic at
 * its position, but the caller must not use the file's data as a whole until the end was reached.
 * Not thread-safe.
 */
final class DecryptingInputStream extends InputStream {
  private final DecryptingChannel plaintext;
  private final long expectedBytes;
  private final byte[] one = new byte[1];
  private long bytesRead;

  DecryptingInputStream(DecryptingChannel plaintext, long expectedBytes) {
    this.plaintext = plaintext;
    this.expectedBytes = expectedBytes;
  }

  @Override
  public int read() {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
    int n;
    do {
      // A channel may return 0 for a read that found no byte yet; a stream never does.
      n = plaintext.read(target);
    } while (n == 0);
    if (n < 0) {
      if (bytesRead != expectedBytes) {
        throw DecryptionFailures.wrongLength(plaintext.file(), bytesRead, expectedBytes);
      }
      return -1;
    }
    bytesRead += n;
    if (bytesRead > expectedBytes) {
      throw DecryptionFailures.wrongLength(plaintext.file(), bytesRead, expectedBytes);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    plaintext.close();
  }
}
