package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Locale;
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
 * whose uid is on its allow-list. Stateless.
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

  private KeyCacheProtocol() {}

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
    String error = fields.string("error");
    String detail = "key cache " + cache + ": " + fields.optionalString("detail");
    throw switch (error) {
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
