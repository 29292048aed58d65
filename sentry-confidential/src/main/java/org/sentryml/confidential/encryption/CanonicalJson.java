package org.sentryml.confidential.encryption;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON that associated data is made of (docs/FORMAT.md, "Encrypted artifacts"): the
 * JSON Canonicalization Scheme (RFC 8785) for the only value types used here — objects, arrays,
 * strings and non-negative integers. Members sorted by key (UTF-16 code units, as JCS sorts), no
 * whitespace, UTF-8; a string escapes the quote, the backslash and the C0 controls (the short forms
 * {@code \b \t \n \f \r}, the others as a backslash, {@code u00} and two lowercase hex digits) and
 * nothing else. Integers are written as their exact decimal digits (JCS would round those above
 * 2^53; no value here is a float). Stateless.
 */
final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * The canonical bytes of {@code object}, whose values are {@link String}, {@link Long}, {@link
   * List} or {@link Map} with string keys.
   *
   * @throws IllegalArgumentException for another value type, a negative number or a string holding
   *     an unpaired surrogate (which has no UTF-8 form, so two such strings could encode alike)
   */
  static byte[] encode(Map<String, ?> object) {
    StringBuilder out = new StringBuilder(256);
    value(out, object);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void value(StringBuilder out, Object value) {
    switch (value) {
      case String text -> string(out, text);
      case Long number when number >= 0 -> out.append(number.longValue());
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(out, list.get(i));
        }
        out.append(']');
      }
      case Map<?, ?> map -> {
        TreeMap<String, Object> sorted = new TreeMap<>();
        map.forEach((key, member) -> sorted.put((String) key, member));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> member : sorted.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, member.getKey());
          out.append(':');
          value(out, member.getValue());
        }
        out.append('}');
      }
      default -> throw new IllegalArgumentException("no canonical JSON for " + value);
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (!paired) {
          throw new IllegalArgumentException("a string holds an unpaired surrogate at index " + i);
        }
        out.append(c).append(text.charAt(++i));
        continue;
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
