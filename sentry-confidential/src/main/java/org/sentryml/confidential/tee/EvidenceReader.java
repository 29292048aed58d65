package org.sentryml.confidential.tee;

import java.util.Arrays;
import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Reads the little-endian binary fields of one piece of evidence in order, refusing a read past its
 * end with a message that names the document, the field and its offset. Lengths read from the
 * evidence are bounded by the bytes that remain before anything is allocated, so a forged length
 * costs nothing. Not thread-safe; one per parse.
 */
final class EvidenceReader {
  private final byte[] data;
  private final String document;
  private int position;

  /** Reads {@code data} (not copied: callers hand over bytes they no longer change). */
  EvidenceReader(byte[] data, String document) {
    this.data = data;
    this.document = document;
  }

  int position() {
    return position;
  }

  int remaining() {
    return data.length - position;
  }

  int u8(String field) {
    require(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) {
    require(2, field);
    int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return value;
  }

  int u24(String field) {
    require(3, field);
    int value =
        (data[position] & 0xff)
            | (data[position + 1] & 0xff) << 8
            | (data[position + 2] & 0xff) << 16;
    position += 3;
    return value;
  }

  long u32(String field) {
    require(4, field);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (data[position + i] & 0xff);
    }
    position += 4;
    return value;
  }

  /** A 64-bit field as the raw unsigned value (bit patterns: policies, TCB versions). */
  long u64(String field) {
    require(8, field);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | (data[position + i] & 0xff);
    }
    position += 8;
    return value;
  }

  Octets octets(int length, String field) {
    require(length, field);
    Octets value = Octets.of(data, position, length);
    position += length;
    return value;
  }

  /**
   * {@code length} bytes as a length-checked slice, where {@code length} came from the evidence.
   */
  byte[] bytes(long length, String field) {
    if (length > remaining()) {
      throw malformed(
          String.format(
              Locale.ROOT,
              "%s at offset %d claims %d bytes, but only %d remain",
              field,
              position,
              length,
              remaining()));
    }
    byte[] value = Arrays.copyOfRange(data, position, position + (int) length);
    position += (int) length;
    return value;
  }

  /** A copy of {@code length} bytes already read, from {@code offset}: what a signature covers. */
  Octets copyOf(int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > position) {
      throw new IllegalArgumentException("bytes " + offset + "+" + length + " have not been read");
    }
    return Octets.of(data, offset, length);
  }

  void skip(int length, String field) {
    require(length, field);
    position += length;
  }

  /** Refuses bytes after the last field. */
  void requireEnd() {
    if (position != data.length) {
      throw malformed(
          String.format(
              Locale.ROOT,
              "%d unexpected bytes after the last field, at offset %d",
              data.length - position,
              position));
    }
  }

  MalformedInputException malformed(String why) {
    return new MalformedInputException(document + ": " + why);
  }

  private void require(int length, String field) {
    if (length > remaining()) {
      throw malformed(
          String.format(
              Locale.ROOT,
              "truncated: %s at offset %d needs %d bytes, %d remain",
              field,
              position,
              length,
              remaining()));
    }
  }
}
