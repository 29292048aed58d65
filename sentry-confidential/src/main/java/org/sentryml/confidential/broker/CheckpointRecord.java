package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.hashing.Digest;

/**
 * One committed training checkpoint as the key server records it (docs/FORMAT.md, "Checkpoint
 * records"): its step and the SHA-256 of its sealed files. On the wire, {@code {"step": "N",
 * "sha256": HEX}}: the step a decimal string (as protobuf JSON writes an int64), the digest 64
 * lowercase hex digits, no other member. Immutable.
 */
public record CheckpointRecord(long step, Digest digest) {
  /** What a run id may be: a letter or digit, then up to 127 letters, digits, '.', '_' or '-'. */
  public static final String RUN_ID_SYNTAX = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  /** No record body is larger; the front refuses more with 413 before parsing. */
  public static final int MAX_BODY_BYTES = 1024;

  private static final Pattern RUN_ID = Pattern.compile(RUN_ID_SYNTAX);
  private static final Pattern STEP = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String WHAT = "checkpoint record";

  public CheckpointRecord {
    Objects.requireNonNull(digest, "digest");
    if (step < 0) {
      throw new IllegalArgumentException("a checkpoint step is not negative: " + step);
    }
    if (!digest.algorithm().equals("sha256") || digest.value().length != 32) {
      throw new IllegalArgumentException("a checkpoint digest is SHA-256, not " + digest);
    }
  }

  /** Whether {@code runId} is a run id ({@value #RUN_ID_SYNTAX}). */
  public static boolean isRunId(String runId) {
    return RUN_ID.matcher(runId).matches();
  }

  /** The wire form: {@code {"step":"N","sha256":HEX}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("step", Long.toString(step));
    json.addProperty("sha256", digest.hex());
    return json;
  }

  public byte[] toBytes() {
    return Messages.bytes(toJson());
  }

  /**
   * Parses the wire form.
   *
   * @throws MalformedInputException for anything else: another member, a step that is not a
   *     canonical decimal string within a signed 64-bit integer, a digest that is not 64 lowercase
   *     hex digits
   */
  public static CheckpointRecord parse(byte[] body) {
    if (body.length > MAX_BODY_BYTES) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT, "%s: %d bytes, more than %d", WHAT, body.length, MAX_BODY_BYTES));
    }
    return of(Messages.parse(body, WHAT, Set.of("step", "sha256")), WHAT);
  }

  /** The record in {@code json}, which must hold exactly {@code step} and {@code sha256}. */
  static CheckpointRecord of(JsonObject json, String what) {
    Messages.onlyMembers(json, what, Set.of("step", "sha256"));
    String step = string(json, "step", what);
    if (!STEP.matcher(step).matches()) {
      throw new MalformedInputException(
          what + ": step must be a decimal string without leading zeros, got \"" + step + "\"");
    }
    long value;
    try {
      value = Long.parseLong(step);
    } catch (NumberFormatException e) {
      throw new MalformedInputException(what + ": step " + step + " is too large", e);
    }
    String sha256 = string(json, "sha256", what);
    if (!SHA256.matcher(sha256).matches()) {
      throw new MalformedInputException(
          what + ": sha256 must be 64 lowercase hex digits, got \"" + clip(sha256) + "\"");
    }
    return new CheckpointRecord(value, Digest.ofHex("sha256", sha256));
  }

  private static String string(JsonObject json, String name, String what) {
    JsonElement value = json.get(name);
    if (value == null) {
      throw new MalformedInputException(what + ": missing " + name);
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new MalformedInputException(what + ": " + name + " must be a string");
    }
    return value.getAsString();
  }

  private static String clip(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
