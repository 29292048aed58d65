package org.sentryml.core.errors;

import java.nio.file.Path;

/**
 * An input could not be read as what it must be: a bundle, statement, key, certificate, header,
 * shard or document that does not parse or breaks a rule of its format. The message names the file
 * and the field; subclasses name the format.
 */
public non-sealed class MalformedInputException extends SentryException {
  private static final long serialVersionUID = 1L;

  public MalformedInputException(String message) {
    super(message, null, null);
  }

  public MalformedInputException(String message, Throwable cause) {
    super(message, null, cause);
  }

  /** A malformed input known by its file. */
  public MalformedInputException(Path file, String message, Throwable cause) {
    super(message, file, cause);
  }

  @Override
  public MalformedInputException withContext(String context) {
    return new MalformedInputException(file().orElse(null), context + ": " + getMessage(), this);
  }
}
