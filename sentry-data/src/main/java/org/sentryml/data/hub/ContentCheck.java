package org.sentryml.data.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * The digest a downloaded file must match: SHA-256 of the content for LFS files, the git blob id
 * (SHA-1 over {@code "blob <size>\0"} and the content) for the others. Single use, not thread-safe.
 */
final class ContentCheck {
  private static final int BUFFER = 1 << 16;

  private final HubFile file;
  private MessageDigest digest;

  ContentCheck(HubFile file) {
    this.file = file;
    reset();
  }

  /** Starts over, as when a server ignores a Range request and sends the whole file. */
  void reset() {
    digest = newDigest(file.isLfs() ? "SHA-256" : "SHA-1");
    if (!file.isLfs()) {
      digest.update(("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII));
    }
  }

  void update(byte[] buffer, int offset, int length) {
    digest.update(buffer, offset, length);
  }

  String algorithm() {
    return file.isLfs() ? "sha256" : "git blob id";
  }

  /** The hex digest of everything fed so far; ends this check's use. */
  String actual() {
    return HexFormat.of().formatHex(digest.digest());
  }

  String expected() {
    return file.etag();
  }

  /** Feeds every byte of {@code path} (following links) into this check. */
  void updateFrom(Path path) throws IOException {
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        update(buffer, 0, n);
      }
    }
  }

  /**
   * Why the file at {@code path} is not {@code file}'s content (its size or digest differs), or
   * null when it is. Reads the whole file: a cached file is checked every time it is used.
   */
  static String mismatch(Path path, HubFile file) {
    try {
      long size = Files.size(path);
      if (size != file.size()) {
        return String.format(Locale.ROOT, "%d bytes expected, found %d", file.size(), size);
      }
      ContentCheck check = new ContentCheck(file);
      check.updateFrom(path);
      String actual = check.actual();
      return actual.equals(check.expected())
          ? null
          : String.format(
              Locale.ROOT, "%s %s expected, found %s", check.algorithm(), check.expected(), actual);
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  /** {@link #mismatch} as a verification failure naming the cached file. */
  static void verify(Path path, HubFile file) {
    String problem = mismatch(path, file);
    if (problem != null) {
      throw new VerificationFailedException(
          "cached file " + path + " (" + file.path() + ") is not what was downloaded: " + problem);
    }
  }

  private static MessageDigest newDigest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required of every Java platform", e);
    }
  }
}
