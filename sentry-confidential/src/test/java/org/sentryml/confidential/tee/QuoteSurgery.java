package org.sentryml.confidential.tee;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Rebuilds a TDX quote (version 4 or 5) with another PCK certificate chain, fixing the three length
 * fields that enclose it, so that tests can present a well-formed quote under a chain it was not
 * issued with.
 */
final class QuoteSurgery {
  private QuoteSurgery() {}

  /** {@code quote} with its PEM chain replaced by {@code pem} (a NUL is appended, as DCAP does). */
  static byte[] withPckChain(byte[] quote, String pem) {
    int pemStart =
        indexOf(quote, "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII));
    byte[] newPem = (pem + "\0").getBytes(StandardCharsets.US_ASCII);
    int delta = newPem.length - (quote.length - pemStart);
    ByteBuffer header = ByteBuffer.wrap(quote.clone(), 0, pemStart).order(ByteOrder.LITTLE_ENDIAN);
    int version = header.getShort(0);
    int signatureDataAt = version == 4 ? 48 + 584 : 48 + 6 + header.getInt(50);
    add(header, signatureDataAt, delta);
    add(header, signatureDataAt + 4 + 128 + 2, delta);
    add(header, pemStart - 4, delta);
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    rebuilt.write(header.array(), 0, pemStart);
    rebuilt.writeBytes(newPem);
    return rebuilt.toByteArray();
  }

  /** The PEM chain of {@code quote}, without its NUL. */
  static String pckChain(byte[] quote) {
    int pemStart =
        indexOf(quote, "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII));
    return new String(quote, pemStart, quote.length - pemStart, StandardCharsets.US_ASCII)
        .replace("\0", "");
  }

  private static void add(ByteBuffer buffer, int at, int delta) {
    buffer.putInt(at, buffer.getInt(at) + delta);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no PEM chain");
  }
}
