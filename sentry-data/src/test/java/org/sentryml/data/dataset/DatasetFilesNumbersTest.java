package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.internal.LazilyParsedNumber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.tree.LtHash16;

/**
 * Numbers and names in index.json and manifest.json that a hostile or damaged file could hold: each
 * is bad input naming the field, never a wrapped value, an internal error or a path.
 */
class DatasetFilesNumbersTest {
  private static final DatasetOrigin ORIGIN =
      new DatasetOrigin("test/data", "main", "0".repeat(40));

  @TempDir Path dir;

  @BeforeEach
  void writeFiles() {
    new DatasetIndex(
            ORIGIN,
            SampleKind.IMAGE,
            10,
            List.of(
                new DatasetIndex.IndexedSource(
                    "source-00", "source-00.tar", Map.of("train", 5L), Map.of(3, 5L))))
        .write(dir);
    SplitDigest split = new SplitDigest("train", 5, new LtHash16());
    new DatasetManifest(
            ORIGIN,
            SampleKind.IMAGE,
            10,
            new SplitPlan(1, 1.0, 42),
            List.of(
                new SourceDigest(
                    "source-00",
                    "source-00.tar",
                    10240,
                    Digest.ofHex(DatasetManifest.SHARD_ROOT_ALGORITHM, "ab".repeat(32)),
                    List.of(split))))
        .write(dir);
  }

  @Test
  void unchangedFilesReadBack() {
    assertEquals(5, DatasetIndex.read(dir).sources().get(0).samples("train"));
    assertEquals(10240, DatasetManifest.read(dir).sources().get(0).shardSize());
  }

  @Test
  void negativeFractionalOrHugeCountsAreBadInputNamingTheField() throws IOException {
    for (String value :
        new String[] {"-1", "1.5", "1e3", "18446744073709551617", "9223372036854775808"}) {
      editIndex(json -> source(json).getAsJsonObject("splits").add("train", number(value)));
      assertBad(() -> DatasetIndex.read(dir), "sources[0].splits.train");
      writeFiles();
      editManifest(
          json ->
              source(json)
                  .getAsJsonArray("splits")
                  .get(0)
                  .getAsJsonObject()
                  .add("samples", number(value)));
      assertBad(() -> DatasetManifest.read(dir), "sources[0].splits[0].samples");
      writeFiles();
      editManifest(json -> source(json).getAsJsonObject("shard").add("size", number(value)));
      assertBad(() -> DatasetManifest.read(dir), "sources[0].shard.size");
      writeFiles();
    }
  }

  @Test
  void classesBeyondAnIntAreRefusedNotTruncated() throws IOException {
    editIndex(json -> json.add("classes", number(Long.toString((1L << 32) + 10))));
    assertBad(() -> DatasetIndex.read(dir), "classes");
    editManifest(json -> json.add("classes", number(Long.toString((1L << 32) + 10))));
    assertBad(() -> DatasetManifest.read(dir), "classes");
  }

  @Test
  void countsWhoseSumOverflowsAreRefused() throws IOException {
    editIndex(
        json -> {
          source(json)
              .getAsJsonObject("splits")
              .add("train", number(Long.toString(Long.MAX_VALUE)));
          source(json).getAsJsonObject("splits").add("test", number(Long.toString(Long.MAX_VALUE)));
        });
    assertBad(() -> DatasetIndex.read(dir), "beyond 2^62");
  }

  @Test
  void labelKeysMustBeCanonicalClassIndexes() throws IOException {
    for (String key : new String[] {"-1", "07", "4294967299"}) {
      editIndex(json -> source(json).getAsJsonObject("labels").add(key, number("1")));
      assertBad(() -> DatasetIndex.read(dir), "labels." + key);
      writeFiles();
    }
  }

  @Test
  void sourceAndShardNamesCannotLeaveTheFolder() throws IOException {
    editManifest(json -> source(json).addProperty("name", "../../x"));
    assertBad(() -> DatasetManifest.read(dir), "sources[0].name");
    writeFiles();
    editManifest(json -> source(json).getAsJsonObject("shard").addProperty("file", "../x.tar"));
    assertBad(() -> DatasetManifest.read(dir), "sources[0].shard.file");
  }

  @Test
  void shardRootThatIsNotHexIsBadInputNotAnInternalError() throws IOException {
    editManifest(json -> source(json).getAsJsonObject("shard").addProperty("root", "xyz"));
    assertBad(() -> DatasetManifest.read(dir), "sources[0].shard.root");
  }

  private static JsonObject source(JsonObject json) {
    return json.getAsJsonArray("sources").get(0).getAsJsonObject();
  }

  private static com.google.gson.JsonPrimitive number(String text) {
    return new com.google.gson.JsonPrimitive(new LazilyParsedNumber(text));
  }

  private void editIndex(Consumer<JsonObject> edit) throws IOException {
    edit(dir.resolve(DatasetIndex.FILE), edit);
  }

  private void editManifest(Consumer<JsonObject> edit) throws IOException {
    edit(dir.resolve(DatasetManifest.FILE), edit);
  }

  private static void edit(Path file, Consumer<JsonObject> edit) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    edit.accept(json);
    Files.writeString(file, json.toString());
  }

  private static void assertBad(org.junit.jupiter.api.function.Executable read, String field) {
    SentryException e = assertThrows(SentryException.class, read);
    assertInstanceOf(MalformedInputException.class, e, e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
