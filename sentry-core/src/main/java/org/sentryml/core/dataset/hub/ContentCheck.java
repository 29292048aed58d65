package org.sentryml.core.dataset.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest a downloaded file must match: SHA-256 of the content for LFS files, the git blob id
 * (SHA-1 over {@code "blob <size>\0"} and the content) for the others. Single use, not thread-safe.
 */
final class ContentCheck {
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

  private static MessageDigest newDigest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required of every Java platform", e);
    }
  }
}
