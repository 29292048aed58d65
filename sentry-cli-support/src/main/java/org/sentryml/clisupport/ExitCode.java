package org.sentryml.clisupport;

import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import picocli.CommandLine;

/**
 * Process exit codes shared by every Sentry command line (DESIGN §7), with finer codes for the path
 * problems that a user must be able to tell apart in scripts. The code of a failure is chosen here,
 * from its type, and nowhere else.
 */
public enum ExitCode {
  OK(0),
  VERIFICATION_FAILED(1),
  USAGE(2),
  BAD_INPUT(3),
  IO_ERROR(4),
  BACKEND_UNAVAILABLE(5),
  PATH_NOT_FOUND(6),
  PERMISSION_DENIED(7),
  NOT_A_REGULAR_FILE(8),
  SYMLINK_REFUSED(9),
  /** A bug: an exception no code path meant to throw (sysexits' EX_SOFTWARE). */
  INTERNAL_ERROR(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The exit code of a failure, by its type. Running out of memory is the machine's limit, not a
   * bug, and is reported like other failures of the environment; anything else unforeseen is an
   * internal error.
   */
  public static ExitCode of(Throwable failure) {
    return switch (failure) {
      case SentryException sentry -> of(sentry);
      case CommandLine.ParameterException usage -> USAGE;
      case OutOfMemoryError memory -> IO_ERROR;
      default -> INTERNAL_ERROR;
    };
  }

  private static ExitCode of(SentryException failure) {
    return switch (failure) {
      case VerificationFailedException v -> VERIFICATION_FAILED;
      case UsageException u -> USAGE;
      case MalformedInputException m -> BAD_INPUT;
      case IoFailureException i -> IO_ERROR;
      case BackendUnavailableException b -> BACKEND_UNAVAILABLE;
      case PathException path ->
          switch (path.kind()) {
            case NOT_FOUND -> PATH_NOT_FOUND;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case NOT_A_REGULAR_FILE -> NOT_A_REGULAR_FILE;
            case SYMLINK_REFUSED -> SYMLINK_REFUSED;
          };
    };
  }
}
