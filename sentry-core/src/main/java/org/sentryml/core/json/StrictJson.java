package org.sentryml.core.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Parses one JSON document strictly (RFC 8259, no lenient extensions, nothing after the value) and
 * rejects duplicate object keys, which different parsers resolve differently and which would let a
 * signed document mean two things. Thread-safe; stateless.
 */
public final class StrictJson {
  private static final int MAX_DEPTH = 64;

  private StrictJson() {}

  /**
   * Parses {@code text}, which must hold a JSON object.
   *
   * @param what names the document in error messages, e.g. {@code "bundle"}
   * @throws MalformedInputException if the text is not exactly one JSON object
   */
  public static JsonObject parseObject(String text, String what) {
    if (text.startsWith("\uFEFF")) {
      throw bad(what + ": starts with a byte order mark, which JSON text must not (RFC 8259 §8.1)");
    }
    if (text.isBlank()) {
      throw bad(what + ": empty document, expected a JSON object");
    }
    JsonElement element;
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      element = read(reader, "", 0, what);
      boolean trailing;
      try {
        trailing = reader.peek() != JsonToken.END_DOCUMENT;
      } catch (IOException e) {
        trailing = true;
      }
      if (trailing) {
        throw bad(what + ": unexpected data after the JSON value");
      }
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new MalformedInputException(what + ": not valid JSON: " + reason(e), e);
    }
    if (!element.isJsonObject()) {
      throw bad(what + ": expected a JSON object at the top level, got " + kind(element));
    }
    return element.getAsJsonObject();
  }

  /**
   * Decodes {@code utf8} strictly (malformed or truncated UTF-8 is refused, not replaced) and
   * parses it as by {@link #parseObject(String, String)}.
   */
  public static JsonObject parseObject(byte[] utf8, String what) {
    return parseObject(decodeUtf8(utf8, what), what);
  }

  /** Decodes UTF-8 text, refusing malformed sequences instead of replacing them with U+FFFD. */
  public static String decodeUtf8(byte[] utf8, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad(what + ": not UTF-8 text");
    }
  }

  private static JsonElement read(JsonReader reader, String path, int depth, String what)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw bad(
          String.format(Locale.ROOT, "%s: nesting deeper than %d at %s", what, MAX_DEPTH, path));
    }
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          String child = path.isEmpty() ? name : path + "." + name;
          if (object.has(name)) {
            throw bad(what + ": duplicate key " + child);
          }
          object.add(name, read(reader, child, depth + 1, what));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        reader.beginArray();
        int index = 0;
        while (reader.hasNext()) {
          array.add(read(reader, path + "[" + index + "]", depth + 1, what));
          index++;
        }
        reader.endArray();
        return array;
      }
      case STRING -> {
        return new JsonPrimitive(reader.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(reader.nextBoolean());
      }
      case NULL -> {
        reader.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw bad(what + ": unexpected token " + reader.peek() + " at " + path);
    }
  }

  /** Gson's message, first line only, without its advice to parse leniently. */
  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    String firstLine = newline < 0 ? message : message.substring(0, newline);
    return firstLine.replace(
        "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
        "malformed JSON");
  }

  /**
   * The value of a JSON number written as a non-negative decimal integer (digits only, no sign,
   * fraction or exponent; strict JSON has no leading zeros) that fits a signed 64-bit long, by the
   * rule of {@link Unsigned64}; empty for anything else, so that {@code 65536.0}, {@code 1e3} or
   * {@code 2^64 + 5} are never read as integers. Works on values parsed by this class, which keep
   * the number's text.
   */
  public static OptionalLong canonicalUnsigned(JsonElement value) {
    try {
      return OptionalLong.of(Unsigned64.parse(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** A short name for the JSON kind of {@code element}, for "expected vs actual" messages. */
  public static String kind(JsonElement element) {
    if (element == null) {
      return "nothing";
    }
    if (element.isJsonObject()) {
      return "an object";
    }
    if (element.isJsonArray()) {
      return "an array";
    }
    if (element.isJsonNull()) {
      return "null";
    }
    JsonPrimitive primitive = element.getAsJsonPrimitive();
    if (primitive.isString()) {
      return "a string";
    }
    return primitive.isNumber() ? "a number" : "a boolean";
  }

  public static MalformedInputException bad(String message) {
    return new MalformedInputException(message);
  }
}
