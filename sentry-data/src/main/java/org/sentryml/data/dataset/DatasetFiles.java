package org.sentryml.data.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.BoundedFiles;

/**
 * The files of a prepared dataset folder as their plaintext, whether the folder holds them in clear
 * or encrypted ({@code sentry-encryption.json} says which, DESIGN §8). Readers of a dataset go
 * through this, so an encrypted dataset is read exactly as a clear one, and its plaintext only ever
 * exists in memory, streamed. Thread-safe.
 */
public sealed interface DatasetFiles {
  /** The folder, for messages and for what must not be written into it. */
  Path folder();

  /** The key the dataset is encrypted under; empty for a clear dataset. */
  Optional<KeyId> keyId();

  /** The plaintext size of {@code name}. */
  long size(String name);

  /** Whether the dataset holds {@code name}. */
  boolean has(String name);

  /**
   * The plaintext of {@code name}, streamed; for an encrypted dataset, each segment is
   * authenticated before its bytes are returned and the end of the file is authenticated before the
   * stream reports it.
   */
  InputStream open(String name);

  /** The plaintext of {@code name} with random access (to read a shard's tail). */
  SeekableByteChannel channel(String name);

  /** The whole plaintext of {@code name}, which must be at most {@code maxBytes} ({@code what}). */
  default byte[] read(String name, long maxBytes, String what) {
    long size = size(name);
    if (size > maxBytes) {
      throw new MalformedInputException(
          folder().resolve(name), what + " is " + size + " bytes, more than " + maxBytes, null);
    }
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw PathProblems.classify(folder().resolve(name), e);
    }
  }

  /**
   * The dataset in {@code folder}: encrypted when it holds an encryption header, then opened with
   * {@code keys} (its header and every file's length checked now), else in clear.
   *
   * @throws UsageException for an encrypted dataset without {@code keys}
   */
  static DatasetFiles open(Path folder, @Nullable DataKeys keys) {
    if (!EncryptedFolder.isEncrypted(folder)) {
      return new Clear(folder);
    }
    if (keys == null) {
      throw new UsageException(
          "dataset "
              + folder
              + " is encrypted; give the key store that holds its key with --key-store DIR");
    }
    return new Encrypted(EncryptedFolder.open(folder, keys));
  }

  /** A dataset whose files are in clear. */
  static DatasetFiles clear(Path folder) {
    return new Clear(folder);
  }

  /** Files read as they are on disk. */
  record Clear(Path folder) implements DatasetFiles {
    @Override
    public Optional<KeyId> keyId() {
      return Optional.empty();
    }

    @Override
    public long size(String name) {
      return ShardRoots.sizeOf(folder.resolve(name));
    }

    @Override
    public boolean has(String name) {
      return Files.isRegularFile(folder.resolve(name));
    }

    @Override
    public InputStream open(String name) {
      try {
        return Files.newInputStream(folder.resolve(name));
      } catch (IOException e) {
        throw PathProblems.classify(folder.resolve(name), e);
      }
    }

    @Override
    public SeekableByteChannel channel(String name) {
      try {
        return Files.newByteChannel(folder.resolve(name));
      } catch (IOException e) {
        throw PathProblems.classify(folder.resolve(name), e);
      }
    }

    @Override
    public byte[] read(String name, long maxBytes, String what) {
      return BoundedFiles.read(folder.resolve(name), maxBytes, what);
    }
  }

  /** Files decrypted as they are read. */
  record Encrypted(EncryptedFolder encrypted) implements DatasetFiles {
    @Override
    public Path folder() {
      return encrypted.folder();
    }

    @Override
    public Optional<KeyId> keyId() {
      return Optional.of(encrypted.header().keyId());
    }

    @Override
    public long size(String name) {
      return encrypted.header().file(name).orElseThrow(() -> missing(name)).size();
    }

    @Override
    public boolean has(String name) {
      return encrypted.header().file(name).isPresent();
    }

    @Override
    public InputStream open(String name) {
      if (!has(name)) {
        throw missing(name);
      }
      return encrypted.newInputStream(name);
    }

    @Override
    public SeekableByteChannel channel(String name) {
      if (!has(name)) {
        throw missing(name);
      }
      return encrypted.newSeekableChannel(name);
    }

    private PathException missing(String name) {
      return new PathException(
          PathException.Kind.NOT_FOUND,
          folder().resolve(name),
          "encrypted dataset " + folder() + " holds no " + name,
          null);
    }
  }
}
