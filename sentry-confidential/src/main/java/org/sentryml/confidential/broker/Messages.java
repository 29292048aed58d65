package org.sentryml.confidential.broker;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.StrictJson;

/** What every protocol message shares: a size bound, strict JSON, no unknown members. */
final class Messages {
  /** No message of the protocol is larger: evidence with its certificates is a few KiB. */
  static final int MAX_BYTES = 256 << 10;

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private Messages() {}

  /** Parses {@code body} as the object {@code what}, refusing members not in {@code allowed}. */
  static JsonObject parse(byte[] body, String what, Set<String> allowed) {
    if (body.length > MAX_BYTES) {
      throw new MalformedInputException(
          String.format(Locale.ROOT, "%s: %d bytes, more than %d", what, body.length, MAX_BYTES));
    }
    JsonObject object = StrictJson.parseObject(body, what);
    onlyMembers(object, what, allowed);
    return object;
  }

  static void onlyMembers(JsonObject object, String what, Set<String> allowed) {
    for (String member : object.keySet()) {
      if (!allowed.contains(member)) {
        throw new MalformedInputException(
            what + ": unknown member '" + member + "' (expected " + allowed + ")");
      }
    }
  }

  /** Compact JSON, UTF-8, with no HTML escaping (what the other side hashes is what was sent). */
  static byte[] bytes(JsonElement json) {
    return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
  }

  static String text(JsonElement json) {
    return GSON.toJson(json);
  }
}
