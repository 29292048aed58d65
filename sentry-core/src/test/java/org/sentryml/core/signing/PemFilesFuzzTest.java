package org.sentryml.core.signing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a PEM key or certificate file: each reader returns a key (or certificates) or
 * refuses with a {@link SentryException}; nothing else may escape, and no message may contain the
 * bytes of the file.
 */
class PemFilesFuzzTest {
  private static final Path FILE = tempFile();

  private static Path tempFile() {
    try {
      Path file = Files.createTempFile("sentry-fuzz-", ".pem");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void privateKeyIsReadOrRefused(byte[] input) throws IOException {
    Files.write(FILE, input);
    try {
      PemFiles.readPrivateKey(FILE, "fuzz".toCharArray());
    } catch (SentryException expected) {
      // refused
    }
  }

  @FuzzTest
  void publicKeyIsReadOrRefusedAlikeByBothReaders(byte[] input) throws IOException {
    Files.write(FILE, input);
    boolean fast;
    try {
      PublicKeyPem.read(FILE);
      fast = true;
    } catch (SentryException expected) {
      fast = false;
    }
    boolean full;
    try {
      PemFiles.readPublicKey(FILE);
      full = true;
    } catch (SentryException expected) {
      full = false;
    }
    if (fast != full) {
      throw new AssertionError(
          "the JDK-only reader and the full reader disagree: " + fast + " vs " + full);
    }
  }

  @FuzzTest
  void certificatesAreReadOrRefused(byte[] input) throws IOException {
    Files.write(FILE, input);
    try {
      PemFiles.readCertificates(FILE);
    } catch (SentryException expected) {
      // refused
    }
  }
}
