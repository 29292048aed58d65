package org.sentryml.core.attestation;

import java.util.Base64;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.json.StrictJson;

/** Decodes one PEM block ({@code -----BEGIN label-----} … {@code -----END label-----}). */
final class PemBlocks {
  private PemBlocks() {}

  /**
   * Returns the DER bytes of the first {@code label} block of {@code text}.
   *
   * @param field names the source in error messages
   * @throws SentryException {@link MalformedInputException} if there is no such block or its body
   *     is not base64
   */
  static byte[] decode(String text, String label, String field) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = from < 0 ? -1 : text.indexOf(end, from + begin.length());
    if (from < 0 || to < 0) {
      throw StrictJson.bad(field + ": expected a PEM block \"" + begin + "\" … \"" + end + "\"");
    }
    String body = text.substring(from + begin.length(), to);
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw StrictJson.bad(field + ": PEM " + label + " body is not base64: " + e.getMessage());
    }
  }
}
