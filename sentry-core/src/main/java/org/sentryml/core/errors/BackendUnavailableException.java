package org.sentryml.core.errors;

/** A backend that was asked for by name cannot run here: no usable GPU, driver or kernels. */
public final class BackendUnavailableException extends SentryException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message, null, null);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, null, cause);
  }

  @Override
  public BackendUnavailableException withContext(String context) {
    return new BackendUnavailableException(context + ": " + getMessage(), this);
  }
}
