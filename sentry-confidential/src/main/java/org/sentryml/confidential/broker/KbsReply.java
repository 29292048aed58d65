package org.sentryml.confidential.broker;

import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP response of the key server, built in one place: its status, its JSON body, and the
 * session cookie to set, if any. Refusals carry an RFC 7807 problem ({@code type} in Trustee's
 * namespace, {@code detail}). Immutable.
 */
public record KbsReply(int status, byte[] body, Optional<String> setCookie) {
  public KbsReply {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(setCookie, "setCookie");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  static KbsReply ok(byte[] body, Optional<String> setCookie) {
    return new KbsReply(200, body, setCookie);
  }

  /** A refusal with an RFC 7807 problem of {@code type} (a name in Trustee's error list). */
  public static KbsReply problem(int status, String type, String detail) {
    JsonObject json = new JsonObject();
    json.addProperty("type", KbsProtocol.PROBLEM_PREFIX + type);
    json.addProperty("detail", detail);
    return new KbsReply(status, Messages.bytes(json), Optional.empty());
  }

  /** A refusal with a problem of {@code type} in Sentry's namespace, for its own endpoints. */
  public static KbsReply sentryProblem(int status, String type, String detail) {
    JsonObject json = new JsonObject();
    json.addProperty("type", KbsProtocol.SENTRY_PROBLEM_PREFIX + type);
    json.addProperty("detail", detail);
    return new KbsReply(status, Messages.bytes(json), Optional.empty());
  }
}
