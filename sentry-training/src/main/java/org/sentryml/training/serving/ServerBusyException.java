package org.sentryml.training.serving;

/** The server takes no more work now (queue or connection limit reached); answered 503. */
public final class ServerBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerBusyException(String message) {
    super(message);
  }
}
