package org.sentryml.clisupport;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Human-readable output lines, with every character that could end a line or drive the terminal
 * escaped. File and tensor names come from the model, so a name holding a newline could otherwise
 * forge a {@code verified ...} line, and one holding escape sequences could rewrite the screen.
 * JSON output does not go through here: its encoder escapes control characters itself.
 *
 * <p>Escaped: C0 controls and DEL ({@code \n}, {@code \r}, {@code \t} by name, others as {@code
 * \xNN}), C1 controls, the Unicode line and paragraph separators and the bidirectional controls
 * that reorder what is shown ({@code \\uNNNN}), and the backslash itself, so that an escaped name
 * never reads like another name. Stateless and thread-safe.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} with control characters escaped (see the class comment). */
  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** Prints {@code line} as one escaped line. */
  public static void println(PrintWriter out, String line) {
    out.println(escape(line));
  }

  /**
   * Formats with {@link Locale#ROOT}, escaping every text and path argument; the format itself is
   * the program's own and may hold {@code %n}.
   */
  public static void printf(PrintWriter out, String format, Object... args) {
    Object[] escaped = args.clone();
    for (int i = 0; i < escaped.length; i++) {
      if (escaped[i] instanceof CharSequence || escaped[i] instanceof Path) {
        escaped[i] = escape(escaped[i].toString());
      }
    }
    out.printf(Locale.ROOT, format, escaped);
  }

  private static String replacement(char c) {
    String named =
        switch (c) {
          case '\\' -> "\\\\";
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          default -> null;
        };
    if (named != null) {
      return named;
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format(Locale.ROOT, "\\x%02x", (int) c);
    }
    if ((c >= 0x80 && c < 0xa0)
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u061c'
        || (c >= '\u200e' && c <= '\u200f')
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')) {
      return String.format(Locale.ROOT, "\\u%04x", (int) c);
    }
    return null;
  }
}
