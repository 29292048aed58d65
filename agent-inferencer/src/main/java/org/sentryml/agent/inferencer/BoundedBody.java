package org.sentryml.agent.inferencer;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body of at most {@code limit} bytes: a declared {@code Content-Length} above the
 * limit is refused before a byte is read, and a chunked body is cut off one byte past it, so no
 * request can make the server hold more than the limit.
 */
final class BoundedBody {
  private BoundedBody() {}

  /** The body, or empty when it is over the limit. */
  static Optional<byte[]> read(HttpExchange exchange, int limit) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > limit) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        // The JDK's server has already refused a malformed length; nothing to add here.
      }
    }
    InputStream in = exchange.getRequestBody();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[16384];
    int read;
    while ((read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - body.size()))) > 0) {
      body.write(buffer, 0, read);
      if (body.size() > limit) {
        return Optional.empty();
      }
    }
    return Optional.of(body.toByteArray());
  }
}
