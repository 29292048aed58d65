package org.sentryml.confidential.encryption;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentryml.core.manifest.CanonicalOrder;

/**
 * What the clear-text header {@code sentry-encryption.json} of an encrypted folder says: whose key
 * encrypts it, whether it was a folder or a single file, and every file with its plaintext size
 * (docs/FORMAT.md, "Encrypted artifacts"). On disk the header also carries a seal that
 * authenticates all of this under the data key ({@link HeaderFile}). Immutable.
 *
 * @param keyId the data key, which also names the artifact, its version and its kind
 * @param layout whether the plaintext was a folder or one file
 * @param files every file, in canonical order of their paths (by code point), paths unique
 */
public record EncryptionHeader(KeyId keyId, Layout layout, List<FileEntry> files) {
  /** The header's file name, at the top of the encrypted folder. */
  public static final String FILE_NAME = "sentry-encryption.json";

  /** The format (and its version) of encrypted folders, bound into every file's associated data. */
  public static final String FORMAT = "https://sentryml.org/encrypted-artifact/v1";

  /** How the plaintext was laid out. */
  public enum Layout {
    /** A folder: decrypted as a folder holding the files under their paths. */
    FOLDER("folder"),
    /** One file (a single-file model): the header lists exactly it, and it decrypts to a file. */
    FILE("file");

    private final String id;

    Layout(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    static Optional<Layout> of(String id) {
      for (Layout layout : values()) {
        if (layout.id.equals(id)) {
          return Optional.of(layout);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One encrypted file.
   *
   * @param path its relative POSIX path inside the folder (its name in the plaintext folder too)
   * @param size its plaintext size in bytes
   */
  public record FileEntry(String path, long size) {
    public FileEntry {
      if (RelativePaths.problem(path).isPresent() || size < 0) {
        throw new IllegalArgumentException("not a file entry: " + path + " of " + size + " bytes");
      }
    }
  }

  public EncryptionHeader {
    files = List.copyOf(files);
    for (int i = 1; i < files.size(); i++) {
      if (CanonicalOrder.NAMES.compare(files.get(i - 1).path(), files.get(i).path()) >= 0) {
        throw new IllegalArgumentException(
            "files not in canonical order or repeated at " + files.get(i).path());
      }
    }
    if (layout == Layout.FILE && files.size() != 1) {
      throw new IllegalArgumentException(
          "a single-file artifact lists one file, not " + files.size());
    }
  }

  /** A header for {@code files} in any order; they are sorted canonically. */
  static EncryptionHeader sorted(KeyId keyId, Layout layout, List<FileEntry> files) {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> CanonicalOrder.NAMES.compare(a.path(), b.path()));
    return new EncryptionHeader(keyId, layout, sorted);
  }

  /** The entry of {@code path}, if the header lists it. */
  public Optional<FileEntry> file(String path) {
    return files.stream().filter(entry -> entry.path().equals(path)).findFirst();
  }

  /** The sum of the files' plaintext sizes. */
  public long plaintextBytes() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }
}
