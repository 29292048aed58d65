package org.sentryml.confidential.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hash chain of the audit log: each line carries the SHA-256 of the line before it. */
final class AuditChain {
  /** The {@code prev} of the first line: no line came before it. */
  static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** The SHA-256, in lowercase hex, of one line's bytes without its newline. */
  static String hash(byte[] line, int length) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(line, 0, length);
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
    }
  }
}
