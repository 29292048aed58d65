package org.sentryml.core.errors;

import java.nio.file.Path;

/**
 * A path the user named, or one inside a model or dataset, that cannot be used as it is: missing,
 * not permitted, not a regular file or folder, or a symbolic link that is refused. Each {@link
 * Kind} has its own exit code, so that scripts can tell them apart.
 */
public final class PathException extends SentryException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the path. */
  public enum Kind {
    NOT_FOUND,
    PERMISSION_DENIED,
    NOT_A_REGULAR_FILE,
    SYMLINK_REFUSED
  }

  private final Kind kind;

  public PathException(Kind kind, String message) {
    this(kind, null, message, null);
  }

  public PathException(Kind kind, String message, Throwable cause) {
    this(kind, null, message, cause);
  }

  public PathException(Kind kind, Path path, String message, Throwable cause) {
    super(message, path, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public PathException withContext(String context) {
    return new PathException(kind, file().orElse(null), context + ": " + getMessage(), this);
  }
}
