package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.JsonFields;

/**
 * The key cache's Unix-socket protocol (docs/FORMAT.md, "Key cache socket"): one request line
 * {@code {"key": <key id>}}, one answer line, {@code {"keyset": <Tink JSON keyset>}} or {@code
 * {"error": "not_found" | "refused" | "unavailable", "detail": ...}}, then the connection closes.
 * The keyset crosses the socket in clear: the socket is local, and the cache answers only peers
 * whose uid is on its allow-list.
 *
 * <p>Checkpoint records go through the cache to its key server: {@code {"checkpoint": "record" |
 * "latest" | "finish", "run": <run id>}} (a record with {@code "step"} and {@code "sha256"} too),
 * answered {@code {"checkpoint": {"step": "N", "sha256": HEX}}} (the record made, or the last one)
 * or {@code {"checkpoint": "none"}} (nothing recorded, or the run forgotten), or an error line.
 * Stateless.
 */
public final class KeyCacheProtocol {
  /** No line is longer: a keyset of many rotated keys is still a few KiB. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  private static final String REQUEST = "key cache request";
  private static final String ANSWER = "key cache answer";

  /** The kinds of refusal. */
  public enum Failure {
    NOT_FOUND,
    REFUSED,
    UNAVAILABLE;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A request line: a key, or a checkpoint operation. */
  public sealed interface Request permits KeyRequest, CheckpointRequest {}

  /** {@code {"key": <key id>}}. */
  public record KeyRequest(KeyId id) implements Request {}

  /** The checkpoint operations. */
  public enum CheckpointOperation {
    RECORD,
    LATEST,
    FINISH;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code {"checkpoint": <operation>, "run": <run id>, ...}}; a record only with RECORD. */
  public record CheckpointRequest(
      CheckpointOperation operation, String runId, Optional<CheckpointRecord> record)
      implements Request {
    public CheckpointRequest {
      if (!CheckpointRecord.isRunId(runId)) {
        throw new IllegalArgumentException("not a run id: " + runId);
      }
      if (record.isPresent() != (operation == CheckpointOperation.RECORD)) {
        throw new IllegalArgumentException("a record goes with RECORD and nothing else");
      }
    }
  }

  private KeyCacheProtocol() {}

  /** The request line of a checkpoint operation. */
  public static byte[] request(CheckpointRequest request) {
    JsonObject json = new JsonObject();
    json.addProperty("checkpoint", request.operation().id());
    json.addProperty("run", request.runId());
    request
        .record()
        .ifPresent(
            r -> {
              json.addProperty("step", Long.toString(r.step()));
              json.addProperty("sha256", r.digest().hex());
            });
    return line(json);
  }

  /**
   * A request line of either kind.
   *
   * @throws MalformedInputException for anything but the documented forms
   */
  public static Request parse(byte[] line) {
    JsonObject json =
        Messages.parse(line, REQUEST, Set.of("key", "checkpoint", "run", "step", "sha256"));
    if (json.has("key")) {
      return new KeyRequest(parseRequest(line));
    }
    JsonFields fields = new JsonFields(json, "", REQUEST);
    String operation = fields.string("checkpoint");
    CheckpointOperation op =
        switch (operation) {
          case "record" -> CheckpointOperation.RECORD;
          case "latest" -> CheckpointOperation.LATEST;
          case "finish" -> CheckpointOperation.FINISH;
          default ->
              throw new MalformedInputException(
                  REQUEST
                      + ": checkpoint must be record, latest or finish, not '"
                      + operation
                      + "'");
        };
    String run = fields.string("run");
    if (!CheckpointRecord.isRunId(run)) {
      throw new MalformedInputException(
          REQUEST + ": run is not a run id (" + CheckpointRecord.RUN_ID_SYNTAX + ")");
    }
    JsonObject rest = json.deepCopy();
    rest.remove("checkpoint");
    rest.remove("run");
    Optional<CheckpointRecord> record;
    if (op == CheckpointOperation.RECORD) {
      record = Optional.of(CheckpointRecord.of(rest, REQUEST));
    } else if (!rest.isEmpty()) {
      throw new MalformedInputException(
          REQUEST + ": checkpoint " + operation + " takes only the run, not " + rest.keySet());
    } else {
      record = Optional.empty();
    }
    return new CheckpointRequest(op, run, record);
  }

  /** The answer carrying {@code record}: the one made, or the last one; empty for none. */
  public static byte[] checkpoint(Optional<CheckpointRecord> record) {
    JsonObject json = new JsonObject();
    if (record.isPresent()) {
      json.add("checkpoint", record.get().toJson());
    } else {
      json.addProperty("checkpoint", "none");
    }
    return line(json);
  }

  /**
   * The record in a checkpoint answer line, empty for {@code "none"}.
   *
   * @throws SentryException the answer's refusal, as {@link #parseAnswer}
   */
  static Optional<CheckpointRecord> parseCheckpointAnswer(byte[] line, String cache) {
    JsonObject json = Messages.parse(line, ANSWER, Set.of("checkpoint", "error", "detail"));
    if (!json.has("checkpoint")) {
      throw refusal(new JsonFields(json, "", ANSWER), cache);
    }
    JsonElement value = json.get("checkpoint");
    if (value.isJsonPrimitive() && value.getAsString().equals("none")) {
      return Optional.empty();
    }
    if (!value.isJsonObject()) {
      throw new MalformedInputException(
          ANSWER + " from " + cache + ": checkpoint must be a record or \"none\"");
    }
    return Optional.of(CheckpointRecord.of(value.getAsJsonObject(), ANSWER + " from " + cache));
  }

  public static byte[] request(KeyId id) {
    JsonObject json = new JsonObject();
    json.addProperty("key", id.toString());
    return line(json);
  }

  /**
   * The key id of a request line.
   *
   * @throws MalformedInputException for anything but {@code {"key": <key id>}}
   */
  public static KeyId parseRequest(byte[] line) {
    JsonObject json = Messages.parse(line, REQUEST, Set.of("key"));
    String key = new JsonFields(json, "", REQUEST).string("key");
    return KeyId.parse(key)
        .orElseThrow(
            () -> new MalformedInputException(REQUEST + ": '" + key + "' is not a key id"));
  }

  public static byte[] keyset(KeysetHandle keyset) {
    JsonObject json = new JsonObject();
    json.addProperty("keyset", StreamingScheme.exportForRelease(keyset));
    return line(json);
  }

  public static byte[] error(Failure error, String detail) {
    JsonObject json = new JsonObject();
    json.addProperty("error", error.id());
    json.addProperty("detail", detail);
    return line(json);
  }

  /**
   * The keyset in an answer line.
   *
   * @param cache names the cache in messages
   * @throws SentryException the answer's refusal: not found ({@link PathException}), refused
   *     ({@link VerificationFailedException}), unavailable ({@link BackendUnavailableException})
   */
  static KeysetHandle parseAnswer(byte[] line, String cache) {
    JsonObject json = Messages.parse(line, ANSWER, Set.of("keyset", "error", "detail"));
    JsonFields fields = new JsonFields(json, "", ANSWER);
    if (fields.has("keyset")) {
      try {
        return StreamingScheme.importReleased(fields.string("keyset"));
      } catch (GeneralSecurityException e) {
        throw new MalformedInputException(ANSWER + " from " + cache + ": not a Tink keyset", e);
      }
    }
    throw refusal(fields, cache);
  }

  private static SentryException refusal(JsonFields fields, String cache) {
    String error = fields.string("error");
    String detail = "key cache " + cache + ": " + fields.optionalString("detail");
    return switch (error) {
      case "not_found" -> new PathException(PathException.Kind.NOT_FOUND, detail);
      case "refused" -> new VerificationFailedException(detail);
      case "unavailable" -> new BackendUnavailableException(detail);
      default ->
          new MalformedInputException(
              ANSWER + " from " + cache + ": unknown error '" + error + "'");
    };
  }

  /** Reads one line (without its newline), refusing one longer than {@link #MAX_LINE_BYTES}. */
  public static byte[] readLine(ReadableByteChannel channel) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (true) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        throw new MalformedInputException("the key cache socket closed before a whole line came");
      }
      for (int i = 0; i < n; i++) {
        byte b = buffer.get(i);
        if (b == '\n') {
          return line.toByteArray();
        }
        line.write(b);
      }
      if (line.size() > MAX_LINE_BYTES) {
        throw new MalformedInputException(
            "a key cache line is longer than " + MAX_LINE_BYTES + " bytes");
      }
    }
  }

  public static void write(WritableByteChannel channel, byte[] line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static byte[] line(JsonObject json) {
    byte[] text = Messages.bytes(json);
    byte[] line = new byte[text.length + 1];
    System.arraycopy(text, 0, line, 0, text.length);
    line[text.length] = '\n';
    return line;
  }
}
