package org.sentryml.core.errors;

import java.nio.file.Path;

/**
 * Reading or writing failed for a reason outside the input's content: a read error, a full disk, a
 * file that changed while it was read, a network failure, a truncated download.
 */
public final class IoFailureException extends SentryException {
  private static final long serialVersionUID = 1L;

  public IoFailureException(String message) {
    super(message, null, null);
  }

  public IoFailureException(String message, Throwable cause) {
    super(message, null, cause);
  }

  public IoFailureException(Path file, String message, Throwable cause) {
    super(message, file, cause);
  }

  @Override
  public IoFailureException withContext(String context) {
    return new IoFailureException(file().orElse(null), context + ": " + getMessage(), this);
  }
}
