package org.sentryml.core.json;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;

/**
 * The JSON files kept beside data ({@code index.json}, {@code manifest.json}, the Hub cache's
 * checksum record): written pretty-printed and atomically, read strictly (no duplicate keys,
 * nothing after the object) with their {@code format} URI checked first. Stateless.
 */
public final class JsonFile {
  /**
   * Larger than the manifest of a dataset of ten thousand sources; more is not one of these files.
   */
  public static final long MAX_BYTES = 256L << 20;

  private JsonFile() {}

  /** Writes {@code json} to {@code file} atomically, pretty-printed, with a final newline. */
  public static void write(Path file, JsonObject json) {
    AtomicFile.write(file, bytes(json));
  }

  /** The bytes {@link #write} writes: {@code json} pretty-printed, with a final newline. */
  public static byte[] bytes(JsonObject json) {
    String text =
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The object in {@code file}, whose {@code format} field must be {@code format}.
   *
   * @throws org.sentryml.core.errors.SentryException BAD_INPUT naming the file (and the field) for
   *     anything but one JSON object of that format; a path code when it cannot be read
   */
  public static JsonFields read(Path file, String format) {
    return parse(BoundedFiles.read(file, MAX_BYTES, "JSON file"), file.toString(), format);
  }

  /**
   * As {@link #read}, for a file's bytes read elsewhere (decrypted in memory, say); {@code where}
   * names the file in messages.
   */
  public static JsonFields parse(byte[] bytes, String where, String format) {
    JsonFields json = new JsonFields(StrictJson.parseObject(bytes, where), "", where);
    String found = json.string("format");
    if (!format.equals(found)) {
      throw json.error("format", "must be " + format + ", got " + found);
    }
    return json;
  }
}
