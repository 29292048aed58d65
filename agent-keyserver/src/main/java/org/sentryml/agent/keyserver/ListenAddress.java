package org.sentryml.agent.keyserver;

import java.net.InetSocketAddress;
import org.sentryml.core.errors.UsageException;

/** {@code HOST:PORT} (an IPv6 host in brackets) as a socket address. */
final class ListenAddress {
  private ListenAddress() {}

  static InetSocketAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new UsageException("--listen '" + text + "' is not HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("--listen '" + text + "': the port is not a number", e);
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--listen '" + text + "': the port must be 0 to 65535");
    }
    return new InetSocketAddress(host, port);
  }
}
