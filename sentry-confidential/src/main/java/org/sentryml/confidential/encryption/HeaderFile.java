package org.sentryml.confidential.encryption;

import com.google.crypto.tink.StreamingAead;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.core.manifest.CanonicalOrder;

/**
 * The header file {@code sentry-encryption.json} on disk: the {@link EncryptionHeader} as JSON plus
 * its seal, the streaming-AEAD ciphertext of the empty plaintext under the data key with the
 * header's canonical bytes ({@link AssociatedData#ofHeader}) as associated data. The seal makes an
 * edited header (a file left out, a size or the layout changed) fail authentication like an edited
 * file; it authenticates the header's meaning, not its spelling, so reformatting the JSON is
 * harmless. Stateless.
 */
final class HeaderFile {
  /** Far above any real header (500,000 files of long names), far below a memory problem. */
  static final long MAX_BYTES = 64L << 20;

  static final int MAX_FILES = 500_000;
  private static final Set<String> FIELDS =
      Set.of(
          "format",
          "encryption",
          "segment_size",
          "key_id",
          "artifact",
          "version",
          "layout",
          "files",
          "seal");

  private HeaderFile() {}

  /** A header as read from disk, with the seal not yet checked. */
  record Sealed(Path file, EncryptionHeader header, byte[] seal) {}

  /** Seals {@code header} with {@code aead} and writes it into {@code folder} atomically. */
  static void write(Path folder, EncryptionHeader header, StreamingAead aead) {
    JsonObject json = new JsonObject();
    json.addProperty("format", EncryptionHeader.FORMAT);
    json.addProperty("encryption", StreamingScheme.NAME);
    json.addProperty("segment_size", StreamingScheme.SEGMENT_SIZE);
    json.addProperty("key_id", header.keyId().toString());
    json.addProperty("artifact", header.keyId().artifact());
    json.addProperty("version", header.keyId().version());
    json.addProperty("layout", header.layout().id());
    JsonArray files = new JsonArray();
    for (EncryptionHeader.FileEntry entry : header.files()) {
      JsonObject file = new JsonObject();
      file.addProperty("path", entry.path());
      file.addProperty("size", entry.size());
      files.add(file);
    }
    json.add("files", files);
    json.addProperty("seal", Base64.getEncoder().encodeToString(seal(header, aead)));
    String text =
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    AtomicFile.write(
        folder.resolve(EncryptionHeader.FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads the header of {@code folder}; checks its syntax and every rule of the format, but not the
   * seal, which needs the key the header names.
   *
   * @throws MalformedInputException naming the header file and the field
   */
  static Sealed read(Path folder) {
    Path file = folder.resolve(EncryptionHeader.FILE_NAME);
    String what = "header " + file;
    JsonObject object =
        StrictJson.parseObject(BoundedFiles.read(file, MAX_BYTES, "encryption header"), what);
    for (String key : object.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new MalformedInputException(
            file, what + ": unknown field " + key + " (format v1 has " + FIELDS + ")", null);
      }
    }
    JsonFields json = new JsonFields(object, "", what);
    require(json, "format", EncryptionHeader.FORMAT);
    require(json, "encryption", StreamingScheme.NAME);
    long segmentSize = unsigned(json, "segment_size");
    if (segmentSize != StreamingScheme.SEGMENT_SIZE) {
      throw json.error(
          "segment_size",
          "must be "
              + StreamingScheme.SEGMENT_SIZE
              + " for "
              + StreamingScheme.NAME
              + ", got "
              + segmentSize);
    }
    String idText = json.string("key_id");
    KeyId keyId =
        KeyId.parse(idText)
            .orElseThrow(() -> json.error("key_id", "'" + idText + "' is not " + KeyId.SYNTAX));
    require(json, "artifact", keyId.artifact());
    require(json, "version", keyId.version());
    String layoutText = json.string("layout");
    EncryptionHeader.Layout layout =
        EncryptionHeader.Layout.of(layoutText)
            .orElseThrow(() -> json.error("layout", "must be folder or file, got " + layoutText));
    List<EncryptionHeader.FileEntry> files = files(json);
    if (layout == EncryptionHeader.Layout.FILE && files.size() != 1) {
      throw json.error("files", "must list exactly one file for layout file, got " + files.size());
    }
    byte[] seal = json.base64("seal");
    if (seal.length != StreamingScheme.ciphertextSize(0)) {
      throw json.error(
          "seal",
          String.format(
              Locale.ROOT,
              "must be %d bytes, got %d",
              StreamingScheme.ciphertextSize(0),
              seal.length));
    }
    return new Sealed(file, new EncryptionHeader(keyId, layout, files), seal);
  }

  /**
   * Checks the seal of a header read by {@link #read}.
   *
   * @throws VerificationFailedException naming the header file when the seal does not authenticate
   *     the header under {@code aead}: the header was edited, or the key is not the one that sealed
   *     it
   */
  static void checkSeal(Sealed sealed, StreamingAead aead) {
    byte[] associatedData = AssociatedData.ofHeader(sealed.header());
    try (InputStream in =
        aead.newDecryptingStream(new ByteArrayInputStream(sealed.seal()), associatedData)) {
      if (in.read() >= 0) {
        throw new IOException("the seal holds plaintext");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new VerificationFailedException(
          "header "
              + sealed.file()
              + " fails authentication under key "
              + sealed.header().keyId()
              + ": it was edited (a file, size, layout or id changed), or the key store holds"
              + " another key of that id");
    }
  }

  private static byte[] seal(EncryptionHeader header, StreamingAead aead) {
    ByteArrayOutputStream seal = new ByteArrayOutputStream();
    try (OutputStream out = aead.newEncryptingStream(seal, AssociatedData.ofHeader(header))) {
      // The empty plaintext: the seal is its authentication tag, bound to the header.
      out.flush();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("sealing a header in memory failed", e);
    }
    return seal.toByteArray();
  }

  private static List<EncryptionHeader.FileEntry> files(JsonFields json) {
    JsonArray array = json.array("files");
    if (array.isEmpty()) {
      throw json.error("files", "is empty; an encrypted artifact holds at least one file");
    }
    if (array.size() > MAX_FILES) {
      throw json.error("files", "lists " + array.size() + " files, more than " + MAX_FILES);
    }
    List<EncryptionHeader.FileEntry> files = new ArrayList<>(array.size());
    String previous = null;
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = json.element("files", array, i);
      for (String key : entryKeys(array.get(i))) {
        if (!key.equals("path") && !key.equals("size")) {
          throw entry.error(key, "is not a field of a file entry (path, size)");
        }
      }
      String path = entry.string("path");
      RelativePaths.problem(path)
          .ifPresent(
              why -> {
                throw entry.error("path", "'" + path + "' " + why);
              });
      if (previous != null && CanonicalOrder.NAMES.compare(previous, path) >= 0) {
        throw entry.error(
            "path",
            "'" + path + "' is repeated or out of canonical order (after '" + previous + "')");
      }
      long size = unsigned(entry, "size");
      files.add(new EncryptionHeader.FileEntry(path, size));
      previous = path;
    }
    return files;
  }

  private static Set<String> entryKeys(JsonElement entry) {
    return entry.getAsJsonObject().keySet();
  }

  private static void require(JsonFields json, String field, String expected) {
    String found = json.string(field);
    if (!found.equals(expected)) {
      throw json.error(field, "must be " + expected + ", got " + found);
    }
  }

  private static long unsigned(JsonFields json, String field) {
    JsonElement value = json.required(field);
    return StrictJson.canonicalUnsigned(value)
        .orElseThrow(
            () ->
                json.error(
                    field, "must be an unsigned integer below 2^63 in plain digits, got " + value));
  }
}
