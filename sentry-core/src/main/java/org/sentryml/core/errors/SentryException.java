package org.sentryml.core.errors;

/**
 * A failure with a one-line, user-facing message and the exit code it maps to. The message names
 * the file or field concerned; callers print it without a stack trace unless asked for detail.
 */
public class SentryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public SentryException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public SentryException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
