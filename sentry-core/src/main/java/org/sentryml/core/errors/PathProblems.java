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
      return new SentryException(ExitCode.PATH_NOT_FOUND, "no such file or folder: " + path, e);
    }
    if (e instanceof AccessDeniedException) {
      return new SentryException(ExitCode.PERMISSION_DENIED, "permission denied: " + path, e);
    }
    if (e instanceof FileSystemLoopException || isLoopMessage(e)) {
      return new SentryException(ExitCode.SYMLINK_REFUSED, "symbolic link loop at " + path, e);
    }
    if (e instanceof NotLinkException) {
      return new SentryException(ExitCode.SYMLINK_REFUSED, "not a symbolic link: " + path, e);
    }
    return new SentryException(ExitCode.IO_ERROR, "cannot read " + path + ": " + reason(e), e);
  }

  /** Classifies an I/O failure that happened while writing (or creating) {@code path}. */
  public static SentryException classifyWrite(Path path, IOException e) {
    SentryException read = classify(path, e);
    if (read.exitCode() != ExitCode.IO_ERROR) {
      return read;
    }
    return new SentryException(ExitCode.IO_ERROR, "cannot write " + path + ": " + reason(e), e);
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static boolean isLoopMessage(IOException e) {
    String message = e.getMessage();
    return message != null && message.contains("Too many levels of symbolic links");
  }
}
