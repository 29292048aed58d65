package org.sentryml.confidential.tee;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.StrictJson;

/**
 * Sample evidence: a software measurement of a program and its configuration with the report data
 * of one attestation, as JSON — {@code {"format": "sentry-sample-evidence/v1", "insecure": true,
 * "warning": ..., "measurement": <hex SHA-256>, "report_data": <hex, 64 bytes>}}. Nothing signs it
 * and nothing protects the program that made it: anyone can write any values. It exists so that
 * machines without a TEE can go through the same protocol, when a key's policy explicitly allows
 * insecure sample evidence, and every line logged about it must say it is insecure ({@link
 * SampleAttester#WARNING}).
 *
 * @param measurement the SHA-256 {@link SampleAttester} computed
 * @param reportData the 64-byte report data
 */
record SampleEvidence(Octets measurement, Octets reportData) {
  static final String FORMAT = "sentry-sample-evidence/v1";
  static final int MAX_BYTES = 4 << 10;

  private static final String DOCUMENT = "sample evidence";
  private static final Set<String> MEMBERS =
      Set.of("format", "insecure", "warning", "measurement", "report_data");

  SampleEvidence {
    if (measurement.length() != 32) {
      throw new MalformedInputException(
          DOCUMENT + ": measurement is " + measurement.length() + " bytes, not a SHA-256 (32)");
    }
    if (reportData.length() != 64) {
      throw new MalformedInputException(
          DOCUMENT + ": report_data is " + reportData.length() + " bytes, not 64");
    }
  }

  /** The evidence as compact JSON, UTF-8. */
  byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("insecure", true);
    json.addProperty("warning", SampleAttester.WARNING);
    json.addProperty("measurement", measurement.hex());
    json.addProperty("report_data", reportData.hex());
    return new GsonBuilder()
        .disableHtmlEscaping()
        .create()
        .toJson(json)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses sample evidence.
   *
   * @throws MalformedInputException for anything but exactly the members above, with {@code
   *     insecure} true and hex values of the right lengths
   */
  static SampleEvidence parse(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT, "%s: %d bytes, more than %d", DOCUMENT, json.length, MAX_BYTES));
    }
    JsonObject object = StrictJson.parseObject(json, DOCUMENT);
    for (String member : object.keySet()) {
      if (!MEMBERS.contains(member)) {
        throw new MalformedInputException(DOCUMENT + ": unknown member '" + member + "'");
      }
    }
    if (!FORMAT.equals(string(object, "format"))) {
      throw new MalformedInputException(DOCUMENT + ": format must be \"" + FORMAT + "\"");
    }
    JsonElement insecure = object.get("insecure");
    if (insecure == null
        || !insecure.isJsonPrimitive()
        || !insecure.getAsJsonPrimitive().isBoolean()
        || !insecure.getAsBoolean()) {
      throw new MalformedInputException(
          DOCUMENT + ": 'insecure' must be true: sample evidence never claims otherwise");
    }
    string(object, "warning");
    return new SampleEvidence(
        Octets.fromHex(string(object, "measurement"), DOCUMENT + " measurement"),
        Octets.fromHex(string(object, "report_data"), DOCUMENT + " report_data"));
  }

  private static String string(JsonObject object, String member) {
    JsonElement value = object.get(member);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new MalformedInputException(DOCUMENT + ": '" + member + "' must be a string");
    }
    return value.getAsString();
  }
}
