package org.sentryml.core.attestation;

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
import java.util.Locale;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.SentryException;

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
   * @throws SentryException with {@link ExitCode#BAD_INPUT} if the text is not exactly one JSON
   *     object
   */
  public static JsonObject parseObject(String text, String what) {
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
      throw new SentryException(ExitCode.BAD_INPUT, what + ": not valid JSON: " + reason(e), e);
    }
    if (!element.isJsonObject()) {
      throw bad(what + ": expected a JSON object at the top level, got " + kind(element));
    }
    return element.getAsJsonObject();
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

  /** A short name for the JSON kind of {@code element}, for "expected vs actual" messages. */
  static String kind(JsonElement element) {
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

  static SentryException bad(String message) {
    return new SentryException(ExitCode.BAD_INPUT, message);
  }
}
