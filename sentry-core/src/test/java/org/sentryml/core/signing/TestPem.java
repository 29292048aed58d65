package org.sentryml.core.signing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/** Test resources and hand-made PEM text. */
final class TestPem {
  private TestPem() {}

  /** A file under {@code src/test/resources/signing/}. */
  static Path resource(String name) {
    URL url = TestPem.class.getResource("/signing/" + name);
    if (url == null) {
      throw new IllegalArgumentException("missing test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One PEM block with 64-character lines. */
  static byte[] block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
