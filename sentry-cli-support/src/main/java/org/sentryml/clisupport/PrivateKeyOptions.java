package org.sentryml.clisupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.signing.PemFiles;
import picocli.CommandLine.Option;

/** A PEM private key and where its password comes from; never echoes the password. */
public final class PrivateKeyOptions {
  /** Environment variable holding the private key's password when no password file is given. */
  static final String PASSWORD_VARIABLE = "SENTRY_PRIVATE_KEY_PASSWORD";

  @Option(
      names = {"--private_key", "--private-key"},
      required = true,
      paramLabel = "PEM",
      description = "ECDSA private key (PKCS#8 or SEC1, optionally encrypted).")
  Path privateKey;

  @Option(
      names = {"--password_file", "--password-file"},
      paramLabel = "FILE",
      description =
          "File whose first line is the key's password (else $" + PASSWORD_VARIABLE + ").")
  Path passwordFile;

  PrivateKey load() {
    return PemFiles.readPrivateKey(privateKey, password());
  }

  private char[] password() {
    if (passwordFile != null) {
      String text =
          new String(
              BoundedFiles.read(passwordFile, BoundedFiles.MAX_PASSWORD_BYTES, "password file"),
              StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return (newline < 0 ? text : text.substring(0, newline)).replace("\r", "").toCharArray();
    }
    String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
    return fromEnvironment == null ? null : fromEnvironment.toCharArray();
  }
}
