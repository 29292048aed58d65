package org.sentryml.confidential.encryption;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * An encrypted folder opened for reading with its data key: per file, a decrypting stream or a
 * seekable decrypting channel, and the plaintext size. Plaintext exists only in the caller's
 * memory.
 *
 * <p>Opening checks, before any file is decrypted: the header's syntax, its seal under the key it
 * names (so the file list, sizes and layout are the ones the key's holder wrote), that the artifact
 * is the one expected when the caller says which, and that every listed file is a regular file
 * inside the folder whose ciphertext length is exactly what its plaintext size implies (a truncated
 * or extended file is refused by name at once). Files in the folder that the header does not list
 * are not part of the artifact and are never read (a signature of the encrypted folder may sit
 * there).
 *
 * <p>Immutable and thread-safe; every stream or channel it hands out belongs to one thread.
 */
public final class EncryptedFolder {
  private final Path folder;
  private final EncryptionHeader header;
  private final StreamingAead aead;

  private EncryptedFolder(Path folder, EncryptionHeader header, StreamingAead aead) {
    this.folder = folder;
    this.header = header;
    this.aead = aead;
  }

  /**
   * Opens the encrypted folder {@code folder} with the key its header names.
   *
   * @throws org.sentryml.core.errors.SentryException naming the file: a malformed header (exit 3),
   *     a missing key (from {@code keys}), a header or file that fails authentication or is missing
   *     or of the wrong length (exit 1), a path problem
   */
  public static EncryptedFolder open(Path folder, DataKeys keys) {
    HeaderFile.Sealed sealed = readHeader(folder);
    return open(folder, sealed, keys.streamingAead(sealed.header().keyId()));
  }

  /**
   * As {@link #open(Path, DataKeys)}, refusing (verification failed) a folder of another artifact,
   * version or kind than {@code expected} before its key is even fetched.
   */
  public static EncryptedFolder open(Path folder, DataKeys keys, KeyId expected) {
    HeaderFile.Sealed sealed = readHeader(folder);
    if (!sealed.header().keyId().equals(expected)) {
      throw new VerificationFailedException(
          "encrypted folder "
              + folder
              + " holds "
              + sealed.header().keyId()
              + ", not the expected "
              + expected);
    }
    return open(folder, sealed, keys.streamingAead(expected));
  }

  /**
   * The header of the encrypted folder {@code folder} as it reads, its seal not checked (that needs
   * the key): what the folder says it holds, for deciding whether an overwrite may replace it,
   * never for trusting what its files contain.
   *
   * @throws org.sentryml.core.errors.SentryException for a malformed header (exit 3) or a path
   *     problem
   */
  public static EncryptionHeader unverifiedHeader(Path folder) {
    return readHeader(folder).header();
  }

  /** Whether {@code folder} holds an encryption header (which says nothing of its validity). */
  public static boolean isEncrypted(Path folder) {
    return Files.isRegularFile(
        folder.resolve(EncryptionHeader.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
  }

  private static HeaderFile.Sealed readHeader(Path folder) {
    BasicFileAttributes attributes = attributes(folder);
    if (!attributes.isDirectory()) {
      throw new PathException(
          PathException.Kind.NOT_A_REGULAR_FILE,
          folder,
          folder + " is not an encrypted folder (not a folder at all)",
          null);
    }
    if (!Files.exists(folder.resolve(EncryptionHeader.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          folder,
          folder + " is not an encrypted folder: it holds no " + EncryptionHeader.FILE_NAME,
          null);
    }
    return HeaderFile.read(folder);
  }

  private static EncryptedFolder open(Path folder, HeaderFile.Sealed sealed, StreamingAead aead) {
    HeaderFile.checkSeal(sealed, aead);
    Path real = realPath(folder);
    for (EncryptionHeader.FileEntry entry : sealed.header().files()) {
      checkCiphertext(folder, real, entry);
    }
    return new EncryptedFolder(folder, sealed.header(), aead);
  }

  /** The folder. */
  public Path folder() {
    return folder;
  }

  /** The authenticated header: key id (so artifact, version and kind), layout, files and sizes. */
  public EncryptionHeader header() {
    return header;
  }

  /** The files in canonical order, with their plaintext sizes. */
  public List<EncryptionHeader.FileEntry> files() {
    return header.files();
  }

  /** The plaintext size of {@code path}. */
  public long plaintextSize(String path) {
    return entry(path).size();
  }

  /**
   * The plaintext of {@code path} as a stream, authenticated as it is read; see {@link
   * DecryptingInputStream} for what its reads throw. The stream reports its end only once the whole
   * file authenticated. It reads through the same seekable decrypting channel as {@link
   * #newSeekableChannel}, from the start: Tink's own decrypting stream measured half as fast
   * (docs/BENCHMARKS.md), and the channel authenticates the same way, the last segment included.
   */
  public InputStream newInputStream(String path) {
    EncryptionHeader.FileEntry entry = entry(path);
    return new DecryptingInputStream(decryptingChannel(entry), entry.size());
  }

  /**
   * The plaintext of {@code path} for reads at any position (Tink's seekable decrypting channel):
   * only the segments a read touches are decrypted and authenticated. Read-only; its size is the
   * plaintext size.
   */
  public SeekableByteChannel newSeekableChannel(String path) {
    return decryptingChannel(entry(path));
  }

  private DecryptingChannel decryptingChannel(EncryptionHeader.FileEntry entry) {
    Path file = folder.resolve(entry.path());
    StreamingScheme.warmUpFor(entry.size());
    CiphertextChannel ciphertext = CiphertextChannel.open(file);
    try {
      SeekableByteChannel plaintext =
          aead.newSeekableDecryptingChannel(
              ciphertext, AssociatedData.ofFile(header.keyId(), entry.path()));
      return new DecryptingChannel(plaintext, file, header.keyId(), entry.size());
    } catch (GeneralSecurityException | IOException e) {
      closeQuietly(ciphertext);
      throw e instanceof IOException io
          ? DecryptionFailures.of(file, header.keyId(), io)
          : DecryptionFailures.notAuthentic(file, header.keyId());
    }
  }

  private EncryptionHeader.FileEntry entry(String path) {
    return header
        .file(path)
        .orElseThrow(
            () ->
                new PathException(
                    PathException.Kind.NOT_FOUND,
                    folder,
                    "encrypted folder " + folder + " holds no file '" + path + "'",
                    null));
  }

  private static void checkCiphertext(
      Path folder, Path realFolder, EncryptionHeader.FileEntry entry) {
    Path file = folder.resolve(entry.path());
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new VerificationFailedException(
          "encrypted file " + file + " is missing; the header lists it");
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    if (attributes.isSymbolicLink()) {
      throw new PathException(
          PathException.Kind.SYMLINK_REFUSED,
          file,
          "encrypted file "
              + file
              + " is a symbolic link; an encrypted folder holds its files itself",
          null);
    }
    if (!attributes.isRegularFile()) {
      throw new PathException(
          PathException.Kind.NOT_A_REGULAR_FILE,
          file,
          "encrypted file " + file + " is not a regular file",
          null);
    }
    if (!realPath(file).startsWith(realFolder)) {
      throw new PathException(
          PathException.Kind.SYMLINK_REFUSED,
          file,
          "encrypted file " + file + " lies outside its folder (through a linked folder)",
          null);
    }
    long expected = StreamingScheme.ciphertextSize(entry.size());
    if (attributes.size() != expected) {
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "encrypted file %s is %d bytes, but its plaintext size in the header (%d) makes %d: it was %s",
              file,
              attributes.size(),
              entry.size(),
              expected,
              attributes.size() < expected ? "truncated" : "extended"));
    }
  }

  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  private static void closeQuietly(CiphertextChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The failure being reported is the one that matters.
    }
  }
}
