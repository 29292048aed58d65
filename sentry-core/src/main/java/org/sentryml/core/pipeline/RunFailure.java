package org.sentryml.core.pipeline;

import com.google.gson.JsonObject;
import org.sentryml.core.errors.SentryException;

/**
 * A run of an agent that ended in an error instead of a result, as its {@code --json} output
 * reports it: {@code {"ok": false, "exit_code": N, "error": "<the one-line message>"}}. The agents
 * write it on every path that ends without their own report (bad input, a refused signature, a
 * usage error), so a script reading the JSON always learns the exit code and the reason.
 */
public record RunFailure(int exitCode, String error) {
  /** The one line a user sees for {@code e}: its message, or the kind of an unexpected failure. */
  public static String messageOf(Throwable e) {
    if (e instanceof SentryException) {
      return e.getMessage();
    }
    return "internal error (" + e.getClass().getSimpleName() + ")" + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("ok", false);
    json.addProperty("exit_code", exitCode);
    json.addProperty("error", error);
    return json;
  }
}
