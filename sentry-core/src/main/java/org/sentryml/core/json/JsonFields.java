package org.sentryml.core.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Base64;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

/**
 * Typed access to the fields of a parsed JSON object, failing with {@link MalformedInputException}
 * and a message that names the field by its full dotted path and says what was expected and what
 * was found.
 */
public final class JsonFields {
  private final JsonObject object;
  private final String path;
  private final String what;

  /**
   * @param object the object to read
   * @param path the dotted path of {@code object} inside the document ("" for the top level)
   * @param what the document's name for messages, e.g. {@code "bundle"}
   */
  public JsonFields(JsonObject object, String path, String what) {
    this.object = object;
    this.path = path;
    this.what = what;
  }

  /** The dotted path of this object inside the document. */
  public String path() {
    return path;
  }

  /** The full path of field {@code name} of this object. */
  public String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return object.has(name) && !object.get(name).isJsonNull();
  }

  public SentryException error(String name, String problem) {
    return StrictJson.bad(what + ": field " + pathOf(name) + " " + problem);
  }

  public JsonElement required(String name) {
    if (!has(name)) {
      throw error(name, "is missing");
    }
    return object.get(name);
  }

  public String string(String name) {
    JsonElement value = required(name);
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw error(name, "must be a string, got " + StrictJson.kind(value));
    }
    return value.getAsString();
  }

  /** An optional string; absent and null read as empty. */
  public String optionalString(String name) {
    return has(name) ? string(name) : "";
  }

  public JsonFields object(String name) {
    JsonElement value = required(name);
    if (!value.isJsonObject()) {
      throw error(name, "must be an object, got " + StrictJson.kind(value));
    }
    return new JsonFields(value.getAsJsonObject(), pathOf(name), what);
  }

  public JsonArray array(String name) {
    JsonElement value = required(name);
    if (!value.isJsonArray()) {
      throw error(name, "must be an array, got " + StrictJson.kind(value));
    }
    return value.getAsJsonArray();
  }

  /** An optional array; absent and null read as empty. */
  public JsonArray optionalArray(String name) {
    return has(name) ? array(name) : new JsonArray();
  }

  /** The object at {@code index} of array field {@code name}. */
  public JsonFields element(String name, JsonArray array, int index) {
    JsonElement value = array.get(index);
    String elementPath = pathOf(name) + "[" + index + "]";
    if (!value.isJsonObject()) {
      throw StrictJson.bad(
          what + ": field " + elementPath + " must be an object, got " + StrictJson.kind(value));
    }
    return new JsonFields(value.getAsJsonObject(), elementPath, what);
  }

  /**
   * A base64 field, decoded as protobuf JSON does: standard or URL-safe alphabet, padding optional.
   */
  public byte[] base64(String name) {
    String text = string(name);
    try {
      boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw error(name, "is not valid base64: " + e.getMessage());
    }
  }

  /** A protobuf int64 field, written as a JSON string or number of decimal digits. */
  public long int64(String name) {
    JsonElement value = required(name);
    if (!value.isJsonPrimitive() || value.getAsJsonPrimitive().isBoolean()) {
      throw error(name, "must be an integer, got " + StrictJson.kind(value));
    }
    String text = value.getAsString();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error(name, "must be an integer, got \"" + text + "\"");
    }
  }
}
