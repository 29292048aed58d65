package org.sentryml.core.attestation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * Decodes a DSSE payload as an in-toto Statement v1 and checks the shape Sentry and OMS need:
 * {@code _type} is {@value InTotoStatement#TYPE}, exactly one subject with a name and a {@code
 * sha256} digest of 64 lowercase hex characters, a non-empty {@code predicateType} and an object
 * {@code predicate}. It does not check which predicate type it is: callers decide which they
 * accept. Stateless and thread-safe.
 */
public final class StatementParser {
  private static final String WHAT = "statement";
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");

  private StatementParser() {}

  /**
   * Parses the payload of {@code envelope}.
   *
   * @throws SentryException {@link MalformedInputException} naming the field at fault
   */
  public static InTotoStatement parse(DsseEnvelope envelope) {
    return parse(envelope.payload());
  }

  /**
   * Parses UTF-8 statement JSON.
   *
   * @throws SentryException {@link MalformedInputException} naming the field at fault
   */
  public static InTotoStatement parse(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    JsonFields statement = new JsonFields(StrictJson.parseObject(payload, WHAT), "", WHAT);

    String type = statement.string("_type");
    if (!InTotoStatement.TYPE.equals(type)) {
      throw statement.error(
          "_type",
          String.format(Locale.ROOT, "must be \"%s\", got \"%s\"", InTotoStatement.TYPE, type));
    }
    JsonArray subjects = statement.array("subject");
    if (subjects.size() != 1) {
      throw statement.error(
          "subject",
          String.format(Locale.ROOT, "must hold exactly 1 subject, got %d", subjects.size()));
    }
    InTotoStatement.Subject subject = subject(statement.element("subject", subjects, 0));
    String predicateType = statement.string("predicateType");
    if (predicateType.isEmpty()) {
      throw statement.error("predicateType", "is empty");
    }
    JsonElement predicate = statement.required("predicate");
    if (!predicate.isJsonObject()) {
      throw statement.error("predicate", "must be an object, got " + StrictJson.kind(predicate));
    }
    return new InTotoStatement(List.of(subject), predicateType, (JsonObject) predicate);
  }

  private static InTotoStatement.Subject subject(JsonFields subject) {
    String name = subject.string("name");
    if (name.isEmpty()) {
      throw subject.error("name", "is empty");
    }
    JsonFields digestFields = subject.object("digest");
    JsonObject digestObject = subject.required("digest").getAsJsonObject();
    Map<String, String> digest = new LinkedHashMap<>();
    for (String algorithm : digestObject.keySet()) {
      String hex = digestFields.string(algorithm);
      if (!LOWER_HEX.matcher(hex).matches()) {
        throw digestFields.error(algorithm, "must be lowercase hex, got \"" + hex + "\"");
      }
      digest.put(algorithm, hex);
    }
    if (!digest.containsKey("sha256")) {
      throw digestFields.error("sha256", "is missing; found " + digest.keySet());
    }
    String sha256 = digest.get("sha256");
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw digestFields.error(
          "sha256",
          String.format(
              Locale.ROOT,
              "must be 64 lowercase hex characters, got %d characters",
              sha256.length()));
    }
    return new InTotoStatement.Subject(name, digest);
  }
}
