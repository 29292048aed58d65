package org.sentryml.core.errors;

/**
 * Process exit codes shared by every Sentry command line (DESIGN §7), with finer codes for the
 * path problems that a user must be able to tell apart in scripts.
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
  SYMLINK_REFUSED(9);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
