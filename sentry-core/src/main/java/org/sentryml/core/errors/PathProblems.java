package org.sentryml.core.errors;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;

/** Turns file-system exceptions into {@link SentryException}s with precise exit codes. */
public final class PathProblems {
  private PathProblems() {}

  /** Classifies an I/O failure that happened while reading {@code path}. */
  public static SentryException classify(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new PathException(
          PathException.Kind.NOT_FOUND, path, "no such file or folder: " + path, e);
    }
    if (e instanceof AccessDeniedException) {
      return new PathException(
          PathException.Kind.PERMISSION_DENIED, path, "permission denied: " + path, e);
    }
    if (e instanceof FileSystemLoopException || isLoopMessage(e)) {
      return new PathException(
          PathException.Kind.SYMLINK_REFUSED, path, "symbolic link loop at " + path, e);
    }
    if (e instanceof NotLinkException) {
      return new PathException(
          PathException.Kind.SYMLINK_REFUSED, path, "not a symbolic link: " + path, e);
    }
    return new IoFailureException(path, "cannot read " + path + ": " + reason(e), e);
  }

  /** Classifies an I/O failure that happened while writing (or creating) {@code path}. */
  public static SentryException classifyWrite(Path path, IOException e) {
    SentryException read = classify(path, e);
    if (read instanceof PathException) {
      return read;
    }
    return new IoFailureException(path, "cannot write " + path + ": " + reason(e), e);
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static boolean isLoopMessage(IOException e) {
    String message = e.getMessage();
    return message != null && message.contains("Too many levels of symbolic links");
  }
}
