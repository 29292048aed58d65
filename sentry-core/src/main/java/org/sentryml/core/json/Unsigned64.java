package org.sentryml.core.json;

import com.google.gson.JsonElement;
import java.util.Locale;

/**
 * Sizes, offsets and counts read from files and servers (dataset index and manifest, the Hub's
 * listings and ranges). They are parsed as unsigned 64-bit decimals: digits only, so no sign,
 * fraction or exponent is silently rounded or wrapped; and a value Java cannot hold as a
 * non-negative {@code long} (2^63 and above) is refused by name instead of turning negative.
 * Stateless.
 */
public final class Unsigned64 {
  private Unsigned64() {}

  /**
   * The value of {@code text}, a decimal number from 0 to 2^63 - 1.
   *
   * @throws NumberFormatException saying what is wrong with it, for a message
   */
  public static long parse(String text) {
    if (text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException("must be an unsigned decimal integer, got \"" + text + "\"");
    }
    long value;
    try {
      value = Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new NumberFormatException(text + " is beyond 2^64 - 1");
    }
    if (value < 0) {
      throw new NumberFormatException(
          text + " is beyond 2^63 - 1, the largest size a file can have");
    }
    return value;
  }

  /** A JSON number holding an unsigned decimal; see {@link #parse}. */
  public static long parse(JsonElement element) {
    if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
      throw new NumberFormatException("must be an unsigned decimal integer, got " + element);
    }
    return parse(element.getAsString());
  }

  /** Field {@code name} of {@code fields}; a bad value is BAD_INPUT naming the field. */
  public static long field(JsonFields fields, String name) {
    try {
      return parse(fields.required(name));
    } catch (NumberFormatException e) {
      throw fields.error(name, e.getMessage());
    }
  }

  /** As {@link #field(JsonFields, String)}, no larger than {@code max}. */
  public static int field(JsonFields fields, String name, int max) {
    long value = field(fields, name);
    if (value > max) {
      throw fields.error(
          name, String.format(Locale.ROOT, "must be at most %d, got %d", max, value));
    }
    return (int) value;
  }
}
