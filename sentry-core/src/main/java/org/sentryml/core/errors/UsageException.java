package org.sentryml.core.errors;

/**
 * The command was asked for something it cannot do as given: an unknown algorithm, an option out of
 * range, two options that exclude each other, an output that must not be replaced.
 */
public final class UsageException extends SentryException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message, null, null);
  }

  public UsageException(String message, Throwable cause) {
    super(message, null, cause);
  }

  @Override
  public UsageException withContext(String context) {
    return new UsageException(context + ": " + getMessage(), this);
  }
}
