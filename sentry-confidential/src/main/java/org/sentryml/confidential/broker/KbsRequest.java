package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Set;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.json.JsonFields;

/**
 * The protocol's {@code Request} ({@code POST /kbs/v0/auth}): the protocol version the client
 * speaks, its TEE type and extra parameters (an object, or the empty string the protocol allows;
 * Sentry uses none). Versions 0.4.x are accepted. Immutable.
 */
public record KbsRequest(String version, EvidenceType tee) {
  private static final String WHAT = "KBS request";
  private static final Set<String> MEMBERS = Set.of("version", "tee", "extra-params");

  public KbsRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(tee, "tee");
  }

  /** A request for this implementation's version. */
  public static KbsRequest of(EvidenceType tee) {
    return new KbsRequest(KbsProtocol.VERSION, tee);
  }

  /**
   * Parses a request body.
   *
   * @throws MalformedInputException for anything but the three members, a version other than 0.4.x,
   *     or a TEE type Sentry does not verify
   */
  public static KbsRequest parse(byte[] body) {
    JsonObject json = Messages.parse(body, WHAT, MEMBERS);
    JsonFields fields = new JsonFields(json, "", WHAT);
    String version = fields.string("version");
    if (!version.matches("0\\.4\\.[0-9]{1,4}")) {
      throw fields.error("version", "must be a 0.4.x version of the KBS protocol, got " + version);
    }
    JsonElement extra = json.get("extra-params");
    if (extra != null && !extra.isJsonObject() && !isEmptyString(extra)) {
      throw fields.error("extra-params", "must be an object or the empty string");
    }
    EvidenceType tee;
    try {
      tee = EvidenceType.parse(fields.string("tee"));
    } catch (UsageException e) {
      throw new MalformedInputException(WHAT + ": field tee: " + e.getMessage(), e);
    }
    return new KbsRequest(version, tee);
  }

  private static boolean isEmptyString(JsonElement value) {
    return value.isJsonPrimitive()
        && value.getAsJsonPrimitive().isString()
        && value.getAsString().isEmpty();
  }

  /** The request body. */
  public byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("version", version);
    json.addProperty("tee", tee.id());
    json.add("extra-params", new JsonObject());
    return Messages.bytes(json);
  }
}
