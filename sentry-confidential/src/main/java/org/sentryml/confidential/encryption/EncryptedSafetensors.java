package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.manifest.SafetensorsHeader;

/**
 * One safetensors file of an encrypted folder, read a tensor at a time: the safetensors header is
 * decrypted and validated first (by the same rules as a plaintext file's), then each tensor is read
 * by its offsets through the seekable decrypting channel, which decrypts and authenticates only the
 * segments that hold it. The whole plaintext file is never in memory at once.
 *
 * <p>Not thread-safe (one channel, one position); open one per thread.
 */
public final class EncryptedSafetensors implements AutoCloseable {
  private final Path file;
  private final SeekableByteChannel channel;
  private final SafetensorsHeader header;

  private EncryptedSafetensors(Path file, SeekableByteChannel channel, SafetensorsHeader header) {
    this.file = file;
    this.channel = channel;
    this.header = header;
  }

  /**
   * Opens the safetensors file {@code path} of {@code folder} and reads its header.
   *
   * @throws org.sentryml.core.errors.SentryException a malformed safetensors header (exit 3), or a
   *     failure of the folder's (authentication, exit 1)
   */
  public static EncryptedSafetensors open(EncryptedFolder folder, String path) {
    Path file = folder.folder().resolve(path);
    SeekableByteChannel channel = folder.newSeekableChannel(path);
    try {
      return new EncryptedSafetensors(file, channel, SafetensorsHeader.read(file, channel));
    } catch (IOException e) {
      close(channel);
      throw PathProblems.classify(file, e);
    } catch (RuntimeException e) {
      close(channel);
      throw e;
    }
  }

  /** The validated header: tensor names and their byte ranges. */
  public SafetensorsHeader header() {
    return header;
  }

  /**
   * The bytes of tensor {@code name}, decrypted and authenticated, in a new heap buffer (position
   * 0, limit its length).
   *
   * @throws PathException when the file has no such tensor
   */
  public ByteBuffer tensor(String name) {
    SafetensorsHeader.Tensor tensor =
        header.tensors().stream()
            .filter(t -> t.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new PathException(
                        PathException.Kind.NOT_FOUND,
                        file,
                        "safetensors file " + file + " has no tensor '" + name + "'",
                        null));
    long length = tensor.end() - tensor.begin();
    if (length > Integer.MAX_VALUE - 8) {
      throw new MalformedInputException(
          file,
          String.format(
              Locale.ROOT,
              "tensor '%s' of %s has %d bytes, more than one buffer holds",
              name,
              file,
              length),
          null);
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) length);
    try {
      channel.position(header.headerLength() + tensor.begin());
      while (bytes.hasRemaining()) {
        if (channel.read(bytes) < 0) {
          throw new MalformedInputException(
              file, "safetensors file " + file + " ends inside tensor '" + name + "'", null);
        }
      }
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    return bytes.flip();
  }

  @Override
  public void close() {
    close(channel);
  }

  private static void close(SeekableByteChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing is lost by a failed close.
    }
  }
}
