package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.JsonFields;

/**
 * The protocol's {@code Challenge}: the nonce the evidence must bind (32 random bytes, standard
 * base64, as Trustee's KBS makes it) and extra parameters (Sentry sends an empty object).
 * Immutable.
 */
public record KbsChallenge(String nonce) {
  private static final String WHAT = "KBS challenge";
  private static final Set<String> MEMBERS = Set.of("nonce", "extra-params");

  public KbsChallenge {
    Objects.requireNonNull(nonce, "nonce");
  }

  /**
   * Parses a challenge body.
   *
   * @throws MalformedInputException for unknown members or an empty nonce
   */
  public static KbsChallenge parse(byte[] body) {
    JsonObject json = Messages.parse(body, WHAT, MEMBERS);
    JsonFields fields = new JsonFields(json, "", WHAT);
    String nonce = fields.string("nonce");
    if (nonce.isEmpty() || nonce.length() > 1024) {
      throw fields.error("nonce", "must be 1 to 1024 characters");
    }
    JsonElement extra = json.get("extra-params");
    if (extra != null && !extra.isJsonObject() && !extra.isJsonPrimitive()) {
      throw fields.error("extra-params", "must be an object or a string");
    }
    return new KbsChallenge(nonce);
  }

  /** The challenge body. */
  public byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("nonce", nonce);
    json.add("extra-params", new JsonObject());
    return Messages.bytes(json);
  }
}
