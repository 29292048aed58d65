package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * What a failure while decrypting one file means: the file's own read failure (a path or I/O
 * problem naming it), or else a ciphertext that does not authenticate (verification failed, naming
 * it). The messages never hold key or plaintext bytes. Stateless.
 */
final class DecryptionFailures {
  private DecryptionFailures() {}

  static SentryException of(Path file, KeyId keyId, IOException failure) {
    IOException read = CiphertextChannel.fileFailure(failure);
    if (read != null) {
      return PathProblems.classify(file, read);
    }
    return notAuthentic(file, keyId);
  }

  static VerificationFailedException notAuthentic(Path file, KeyId keyId) {
    return new VerificationFailedException(
        "encrypted file "
            + file
            + " fails authentication under key "
            + keyId
            + ": it was changed, truncated or extended, or it belongs to another file, artifact or version");
  }

  static VerificationFailedException wrongLength(Path file, long plaintextBytes, long expected) {
    return new VerificationFailedException(
        String.format(
            Locale.ROOT,
            "encrypted file %s decrypts to %d bytes, but its header says %d",
            file,
            plaintextBytes,
            expected));
  }
}
