package org.sentryml.confidential.encryption.keys;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * One data key on disk, {@code keys/<kind>-<artifact>@<version>.json}: {@code {"format": ..., "id":
 * ..., "created": ..., "rotated": ..., "keyset": {Tink encrypted keyset}}}. The keyset is Tink's
 * JSON encrypted-keyset format, encrypted under the master key with the id as associated data; id
 * and times are in clear. Written atomically (temporary file beside it, forced, renamed), so a file
 * is whole or absent, whatever kills the writer. Stateless.
 */
final class KeyFile {
  static final String FORMAT = "https://sentryml.org/data-key/v1";

  /** A keyset rotated a few thousand times is still far below this. */
  private static final long MAX_BYTES = 4L << 20;

  private static final Set<String> FIELDS = Set.of("format", "id", "created", "rotated", "keyset");

  private KeyFile() {}

  /**
   * The file's contents.
   *
   * @param encryptedKeyset Tink's JSON of the encrypted keyset (ciphertext and key ids only)
   * @param rotated null until the first rotation
   */
  record Contents(KeyId id, Instant created, Instant rotated, int keys, String encryptedKeyset) {
    KeyInfo info() {
      return new KeyInfo(id, created, Optional.ofNullable(rotated), keys);
    }
  }

  /**
   * The file name of {@code id}: kind, a dash, artifact, {@code @}, version, {@code .json}, e.g.
   * {@code model-mnist-cnn@3.json}. Artifacts and versions ({@link KeyId#NAME_SYNTAX}) need no
   * escaping, hold no {@code @} or {@code /} and never start with a dot; kinds hold no dash; so
   * every id has its own name, which is never hidden and never leaves the folder.
   */
  static String fileName(KeyId id) {
    return id.kind().id() + "-" + id.artifact() + "@" + id.version() + ".json";
  }

  /**
   * Writes {@code contents} to {@code file}; with {@code replace} false an existing file is kept
   * and the write fails.
   *
   * @throws UsageException when {@code replace} is false and the file exists
   */
  static void write(Path file, Contents contents, boolean replace) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("id", contents.id().toString());
    json.addProperty("created", contents.created().toString());
    if (contents.rotated() != null) {
      json.addProperty("rotated", contents.rotated().toString());
    }
    json.add(
        "keyset", StrictJson.parseObject(contents.encryptedKeyset(), "Tink's encrypted keyset"));
    String text =
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    try (AtomicFile out = AtomicFile.create(file, AtomicFile.OWNER_ONLY)) {
      out.stream().write(text.getBytes(StandardCharsets.UTF_8));
      out.commit(replace);
    } catch (UsageException e) {
      if (e.getCause() instanceof FileAlreadyExistsException) {
        throw new UsageException(
            "key " + contents.id() + " exists already (" + file + "); rotate it instead", e);
      }
      throw e;
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }

  /**
   * Reads the key file {@code file}, checking that it holds the key its name says.
   *
   * @throws MalformedInputException naming the file and the field
   */
  static Contents read(Path file) {
    String what = "key file " + file;
    JsonObject object =
        StrictJson.parseObject(BoundedFiles.read(file, MAX_BYTES, "key file"), what);
    for (String key : object.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new MalformedInputException(file, what + ": unknown field " + key, null);
      }
    }
    JsonFields json = new JsonFields(object, "", what);
    String format = json.string("format");
    if (!format.equals(FORMAT)) {
      throw json.error("format", "must be " + FORMAT + ", got " + format);
    }
    String idText = json.string("id");
    KeyId id =
        KeyId.parse(idText)
            .orElseThrow(() -> json.error("id", "'" + idText + "' is not " + KeyId.SYNTAX));
    if (!fileName(id).equals(file.getFileName().toString())) {
      throw json.error(
          "id",
          "is "
              + id
              + ", whose key file is "
              + fileName(id)
              + ", not "
              + file.getFileName()
              + " (a key file renamed or copied?)");
    }
    JsonFields keyset = json.object("keyset");
    int keys = keyset.has("keysetInfo") ? keyset.object("keysetInfo").array("keyInfo").size() : 0;
    return new Contents(
        id,
        instant(json, "created"),
        json.has("rotated") ? instant(json, "rotated") : null,
        keys,
        object.get("keyset").toString());
  }

  private static Instant instant(JsonFields json, String field) {
    String text = json.string(field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw json.error(field, "is not an RFC 3339 UTC time: " + text);
    }
  }
}
