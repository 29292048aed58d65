package org.sentryml.core.attestation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * DSSE v1 pre-authentication encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body},
 * where each {@code LEN} is the decimal ASCII form of a <em>byte</em> count and the type is encoded
 * as UTF-8.
 *
 * <p>Counting bytes matters: sigstore-java's {@code getPAE()} counts UTF-16 characters, which gives
 * a different (and ambiguous) encoding as soon as the type or payload holds non-ASCII text.
 *
 * <p>Pure and thread-safe.
 */
public final class Pae {
  private static final byte[] PREFIX = "DSSEv1 ".getBytes(StandardCharsets.US_ASCII);

  private Pae() {}

  /**
   * Returns the bytes a DSSE signature covers.
   *
   * @throws NullPointerException if an argument is null
   */
  public static byte[] encode(String payloadType, byte[] payload) {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(PREFIX);
    out.writeBytes(decimal(type.length));
    out.write(' ');
    out.writeBytes(type);
    out.write(' ');
    out.writeBytes(decimal(payload.length));
    out.write(' ');
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] decimal(int length) {
    return Integer.toString(length).getBytes(StandardCharsets.US_ASCII);
  }
}
