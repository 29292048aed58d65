package org.sentryml.agent.inferencer;

/**
 * The JDK's HTTP server takes its timeouts and its hard connection cap from system properties, read
 * once per JVM when the first server is created. This sets them from the serve options, unless they
 * were given on the command line ({@code -Dsun.net.httpserver.maxReqTime=...}, as the test JVM
 * does): a request (headers and body) must arrive within the request timeout, which also closes a
 * new connection that never starts one (a TLS handshake included) and a response the client does
 * not take; idle keep-alive connections close after the idle timeout; open sockets beyond four
 * times the admission limit are closed as they are accepted. Accepted sockets also get {@code
 * TCP_NODELAY} ({@code sun.net.httpserver.nodelay}; off by default in the JDK): an answer is one
 * small TLS record, and Nagle's algorithm would hold it back behind the client's unacknowledged
 * segment.
 */
final class JdkServerTimeouts {
  private JdkServerTimeouts() {}

  static void apply(int requestSeconds, int idleSeconds, int maxConcurrentRequests) {
    setIfAbsent("sun.net.httpserver.maxReqTime", requestSeconds);
    setIfAbsent("sun.net.httpserver.maxRspTime", 2L * requestSeconds);
    setIfAbsent("sun.net.httpserver.idleInterval", idleSeconds);
    setIfAbsent("jdk.httpserver.maxConnections", 4L * maxConcurrentRequests);
    setIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private static void setIfAbsent(String property, long value) {
    setIfAbsent(property, Long.toString(value));
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
