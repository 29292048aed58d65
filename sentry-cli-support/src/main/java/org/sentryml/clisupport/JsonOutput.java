package org.sentryml.clisupport;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import org.sentryml.core.manifest.ManifestDiff;

/** {@code --json} results: one compact JSON object per run, on standard output. */
public final class JsonOutput {
  private JsonOutput() {}

  public static void print(PrintWriter out, JsonObject result) {
    out.println(toJson(result));
    out.flush();
  }

  /**
   * As {@link #print}, writing JSON nulls too: for results in which null is a value (a claim the
   * evidence does not report), not an absent member.
   */
  public static void printWithNulls(PrintWriter out, JsonObject result) {
    out.println(new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(result));
    out.flush();
  }

  /** Compact JSON; Gson escapes control characters in strings, so names cannot break the line. */
  public static String toJson(JsonObject result) {
    return new GsonBuilder().disableHtmlEscaping().create().toJson(result);
  }

  /** Missing, extra and changed resources, with expected and actual digests. */
  public static JsonObject diff(ManifestDiff diff) {
    JsonObject json = new JsonObject();
    JsonArray missing = new JsonArray();
    diff.missing().forEach(missing::add);
    JsonArray extra = new JsonArray();
    diff.extra().forEach(extra::add);
    JsonArray changed = new JsonArray();
    for (ManifestDiff.Change change : diff.changed()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", change.name());
      entry.addProperty("expected", change.expected().toString());
      entry.addProperty("actual", change.actual().toString());
      changed.add(entry);
    }
    json.add("missing", missing);
    json.add("extra", extra);
    json.add("changed", changed);
    return json;
  }
}
