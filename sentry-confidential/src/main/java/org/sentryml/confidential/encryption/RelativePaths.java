package org.sentryml.confidential.encryption;

import java.util.Optional;

/**
 * The relative paths an encrypted folder names its files by, in its header and in every file's
 * associated data: POSIX, normalized, never able to reach outside the folder, and never the header
 * itself. A header is untrusted input until its seal is checked, and a path is used to open and to
 * write files, so each is checked before either. Stateless.
 */
final class RelativePaths {
  /** Longer paths than Linux's PATH_MAX could not be opened anyway. */
  private static final int MAX_CHARS = 4096;

  private RelativePaths() {}

  /** Why {@code path} is not a file path of an encrypted folder, or empty when it is one. */
  static Optional<String> problem(String path) {
    if (path.isEmpty()) {
      return Optional.of("is empty");
    }
    if (path.length() > MAX_CHARS) {
      return Optional.of("is longer than " + MAX_CHARS + " characters");
    }
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
      return Optional.of("is absolute");
    }
    if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
      return Optional.of("contains a backslash or NUL");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 >= path.length()
            || !Character.isLowSurrogate(path.charAt(i + 1))) {
          return Optional.of("is not valid Unicode (an unpaired surrogate)");
        }
        i++;
      }
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return Optional.of("is not a normalized relative path (an empty, '.' or '..' segment)");
      }
    }
    if (path.equals(EncryptionHeader.FILE_NAME)) {
      return Optional.of("is the name of the header itself");
    }
    return Optional.empty();
  }
}
