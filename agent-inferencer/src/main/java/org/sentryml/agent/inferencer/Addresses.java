package org.sentryml.agent.inferencer;

import java.net.InetSocketAddress;
import org.sentryml.core.errors.UsageException;

/** {@code HOST:PORT} (or {@code [v6]:PORT}) option values. */
final class Addresses {
  private Addresses() {}

  static InetSocketAddress parse(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new UsageException(option + " takes HOST:PORT, not '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException(option + ": '" + value.substring(colon + 1) + "' is not a port");
    }
    if (port < 0 || port > 65535) {
      throw new UsageException(option + ": port " + port + " is outside 0..65535");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UsageException(option + ": cannot resolve host '" + host + "'");
    }
    return address;
  }
}
