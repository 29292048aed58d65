package org.sentryml.training.checkpoint;

import com.google.crypto.tink.StreamingAead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Seals each checkpoint file with a streaming AEAD (Tink AES256-GCM-HKDF, 1 MiB segments) whose
 * associated data binds the run, the step and the file name, so a file authenticates only as
 * itself: a file of another run, of another step, under another name, or with one byte changed is
 * refused. Thread-safe.
 */
final class CheckpointSealer {
  static final String FORMAT = "https://sentryml.org/checkpoint/v1";
  private final StreamingAead aead;
  private final String runId;

  CheckpointSealer(StreamingAead aead, String runId) {
    this.aead = aead;
    this.runId = runId;
  }

  String runId() {
    return runId;
  }

  /**
   * {@code {"file":NAME,"format":F,"run_id":R,"step":"N"}}, members in this order, no spaces: the
   * same bytes a verifier in any language builds.
   */
  byte[] associatedData(long step, String file) {
    return String.format(
            Locale.ROOT,
            "{\"file\":\"%s\",\"format\":\"%s\",\"run_id\":\"%s\",\"step\":\"%d\"}",
            file,
            FORMAT,
            runId,
            step)
        .getBytes(StandardCharsets.UTF_8);
  }

  byte[] seal(long step, String file, byte[] plaintext) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(plaintext.length + (plaintext.length >> 14) + 64);
    try (OutputStream sealed = aead.newEncryptingStream(out, associatedData(step, file))) {
      sealed.write(plaintext);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal checkpoint file " + file, e);
    }
    return out.toByteArray();
  }

  /**
   * @throws VerificationFailedException when the bytes do not authenticate as {@code file} of
   *     {@code step} of this run
   */
  byte[] open(long step, String file, byte[] sealed) {
    try (InputStream in =
        aead.newDecryptingStream(new ByteArrayInputStream(sealed), associatedData(step, file))) {
      return in.readAllBytes();
    } catch (IOException | GeneralSecurityException e) {
      throw new VerificationFailedException(
          file
              + " does not authenticate as step "
              + step
              + " of run "
              + runId
              + " (changed, cut short, renamed or from another run)");
    }
  }
}
