package org.sentryml.confidential.tee;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.sentryml.core.errors.MalformedInputException;

/**
 * An immutable byte string from evidence: a measurement, report data, an identifier. Equality and
 * {@link #matches} compare in time independent of where the bytes differ, so comparing a
 * measurement against a reference value leaks nothing about how close a forgery came. Thread-safe.
 */
public final class Octets {
  /** No bytes. */
  public static final Octets EMPTY = new Octets(new byte[0]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Octets(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Octets of(byte[] bytes) {
    return new Octets(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code source} from {@code offset}. */
  public static Octets of(byte[] source, int offset, int length) {
    return new Octets(Arrays.copyOfRange(source, offset, Math.addExact(offset, length)));
  }

  /**
   * The bytes that {@code hex} spells, upper or lower case.
   *
   * @param what names the value in the message when it is not hex
   * @throws MalformedInputException for an odd length or a character that is not a hex digit
   */
  public static Octets fromHex(String hex, String what) {
    try {
      return new Octets(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(what + " is not hexadecimal: " + e.getMessage(), e);
    }
  }

  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Lowercase hex, two digits per byte. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Whether every byte is zero (true for no bytes); reads all of them. */
  public boolean isZero() {
    int any = 0;
    for (byte b : bytes) {
      any |= b;
    }
    return any == 0;
  }

  /**
   * Whether these bytes equal {@code expected}, compared in constant time for equal lengths (the
   * lengths of evidence fields are public).
   */
  public boolean matches(Octets expected) {
    return MessageDigest.isEqual(bytes, expected.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Octets octets && matches(octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The bytes as lowercase hex. */
  @Override
  public String toString() {
    return hex();
  }
}
