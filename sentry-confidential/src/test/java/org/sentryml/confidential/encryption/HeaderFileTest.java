package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;

/**
 * A header that breaks a rule of the format is bad input naming the header file and the field,
 * refused before any key is fetched or any path is used.
 */
class HeaderFileTest {
  private static final KeyId ID = new KeyId(ArtifactKind.DATASET, "hdr", "1");
  @TempDir Path dir;
  private Path folder;
  private Path header;

  @BeforeEach
  void encrypt() throws Exception {
    Path plain = dir.resolve("plain");
    Plaintexts.write(plain.resolve("a.bin"), Plaintexts.random(10, 1));
    Plaintexts.write(plain.resolve("b/c.bin"), Plaintexts.random(20, 2));
    folder = dir.resolve("enc");
    EncryptedFolderRoundTripTest.encryptFolder(plain, folder, ID, new EphemeralKeys());
    header = folder.resolve(EncryptionHeader.FILE_NAME);
  }

  private static JsonObject file(JsonObject json, int index) {
    return json.getAsJsonArray("files").get(index).getAsJsonObject();
  }

  static Stream<Arguments> edits() {
    return Stream.of(
        edit(
            "format",
            json -> json.addProperty("format", "https://sentryml.org/encrypted-artifact/v2")),
        edit("encryption", json -> json.addProperty("encryption", "AES128_GCM_HKDF_4KB")),
        edit("segment_size", json -> json.addProperty("segment_size", 4096)),
        edit(
            "segment_size",
            json ->
                json.add("segment_size", new JsonPrimitive(new LazilyParsedNumber("1048576.0")))),
        edit("key_id", json -> json.addProperty("key_id", "sentry:weights/hdr@1")),
        edit("artifact", json -> json.addProperty("artifact", "other")),
        edit("layout", json -> json.addProperty("layout", "tree")),
        edit("files", json -> json.addProperty("layout", "file")),
        edit("files", json -> json.add("files", new JsonArray())),
        edit("unknown field", json -> json.addProperty("comment", "hi")),
        edit("files[0].mode", json -> file(json, 0).addProperty("mode", 420)),
        edit("files[1].path", json -> file(json, 1).addProperty("path", "../escape")),
        edit("files[1].path", json -> file(json, 1).addProperty("path", "/etc/passwd")),
        edit("files[1].path", json -> file(json, 1).addProperty("path", "b//c.bin")),
        edit("files[1].path", json -> file(json, 1).addProperty("path", "a.bin")),
        edit("files[1].path", json -> file(json, 1).addProperty("path", "0.bin")),
        edit(
            "files[1].path", json -> file(json, 1).addProperty("path", EncryptionHeader.FILE_NAME)),
        edit("files[0].size", json -> file(json, 0).addProperty("size", -1)),
        edit(
            "files[0].size",
            json -> file(json, 0).add("size", new JsonPrimitive(new LazilyParsedNumber("1e1")))),
        edit(
            "files[0].size",
            json ->
                file(json, 0)
                    .add(
                        "size", new JsonPrimitive(new LazilyParsedNumber("18446744073709551626")))),
        edit("files[0].size", json -> file(json, 0).addProperty("size", "10")),
        edit("seal", json -> json.addProperty("seal", "AAAA")),
        edit("seal", json -> json.remove("seal")));
  }

  private static Arguments edit(String field, Consumer<JsonObject> change) {
    return Arguments.of(field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void aHeaderBreakingARuleIsBadInputNamingTheFileAndField(
      String field, Consumer<JsonObject> change) throws Exception {
    JsonObject json = JsonParser.parseString(Files.readString(header)).getAsJsonObject();
    change.accept(json);
    Files.writeString(header, json.toString());
    MalformedInputException e =
        assertThrows(MalformedInputException.class, () -> HeaderFile.read(folder));
    assertTrue(e.getMessage().contains(header.toString()), e.getMessage());
    String named = field.equals("unknown field") ? "comment" : field;
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void aDuplicateKeyIsRefused() throws Exception {
    String json = Files.readString(header);
    Files.writeString(header, json.replaceFirst("\\{", "{\"layout\": \"file\","));
    MalformedInputException e =
        assertThrows(MalformedInputException.class, () -> HeaderFile.read(folder));
    assertTrue(e.getMessage().contains("duplicate key layout"), e.getMessage());
  }

  @Test
  void aHeaderThatIsNotJsonIsRefused() throws Exception {
    Files.writeString(header, "not json");
    assertThrows(MalformedInputException.class, () -> HeaderFile.read(folder));
  }

  @Test
  void aFolderWithoutHeaderIsNotAnEncryptedFolder() throws Exception {
    Files.delete(header);
    PathException e =
        assertThrows(PathException.class, () -> EncryptedFolder.open(folder, new EphemeralKeys()));
    assertEquals(PathException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains(EncryptionHeader.FILE_NAME), e.getMessage());
  }

  @Test
  void theHeaderAsWrittenReadsBack() {
    HeaderFile.Sealed sealed = HeaderFile.read(folder);
    assertEquals(ID, sealed.header().keyId());
    assertEquals(EncryptionHeader.Layout.FOLDER, sealed.header().layout());
    assertEquals(30, sealed.header().plaintextBytes());
  }
}
