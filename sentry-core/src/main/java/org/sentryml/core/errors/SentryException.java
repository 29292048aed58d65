package org.sentryml.core.errors;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A failure with a one-line, user-facing message that names the file or field concerned. What kind
 * of failure it is, is its type: verification failed, usage, malformed input, a path problem, an
 * I/O failure, an unavailable backend. Only the command-line edge turns a kind into an exit code
 * (DESIGN §7); nothing below it chooses one. Callers print the message without a stack trace unless
 * asked for detail; anything thrown that is not a {@code SentryException} is a bug.
 */
public abstract sealed class SentryException extends RuntimeException
    permits VerificationFailedException,
        UsageException,
        MalformedInputException,
        PathException,
        IoFailureException,
        BackendUnavailableException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  SentryException(String message, Path file, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file the failure concerns, when one does. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * The same kind of failure, its message prefixed by {@code context} (for example the signature
   * file whose statement a nested parser refused), with this exception as its cause.
   */
  public abstract SentryException withContext(String context);
}
