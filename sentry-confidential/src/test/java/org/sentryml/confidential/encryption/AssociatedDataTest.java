package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The associated data is byte for byte the canonical JSON that docs/FORMAT.md documents. */
class AssociatedDataTest {
  private static final KeyId ID = new KeyId(ArtifactKind.MODEL, "mnist-cnn", "3");

  @Test
  void fileAssociatedDataIsTheDocumentedExample() {
    String expected =
        "{\"artifact\":\"mnist-cnn\",\"format\":\"https://sentryml.org/encrypted-artifact/v1\","
            + "\"key_id\":\"sentry:model/mnist-cnn@3\",\"path\":\"model.params\",\"version\":\"3\"}";
    assertArrayEquals(
        expected.getBytes(StandardCharsets.UTF_8), AssociatedData.ofFile(ID, "model.params"));
  }

  @Test
  void headerAssociatedDataIsTheDocumentedExample() {
    EncryptionHeader header =
        new EncryptionHeader(
            ID,
            EncryptionHeader.Layout.FOLDER,
            List.of(
                new EncryptionHeader.FileEntry("model.json", 181),
                new EncryptionHeader.FileEntry("model.params", 421032)));
    String expected =
        "{\"artifact\":\"mnist-cnn\",\"encryption\":\"AES256_GCM_HKDF_1MB\",\"files\":["
            + "{\"path\":\"model.json\",\"size\":181},{\"path\":\"model.params\",\"size\":421032}],"
            + "\"format\":\"https://sentryml.org/encrypted-artifact/v1\",\"key_id\":\"sentry:model/mnist-cnn@3\","
            + "\"layout\":\"folder\",\"segment_size\":1048576,\"version\":\"3\"}";
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), AssociatedData.ofHeader(header));
  }

  @Test
  void pathsAreUtf8WithOnlyQuoteBackslashAndControlsEscaped() {
    String path = "d\u00e9j\u00e0/\"q\"\\b\n\u0001\u007f\u2028\uD83D\uDE00.bin";
    String json = new String(AssociatedData.ofFile(ID, path), StandardCharsets.UTF_8);
    assertEquals(
        true,
        json.contains(
            "\"path\":\"d\u00e9j\u00e0/\\\"q\\\"\\\\b\\n\\u0001\u007f\u2028\uD83D\uDE00.bin\""),
        json);
  }

  @Test
  void membersAreSortedByKeyAndIntegersWrittenExactly() {
    byte[] json =
        CanonicalJson.encode(
            Map.of("b", List.of(Long.MAX_VALUE, 0L), "a", "x", "B", Map.of("z", 1L, "y", "")));
    assertEquals(
        "{\"B\":{\"y\":\"\",\"z\":1},\"a\":\"x\",\"b\":[9223372036854775807,0]}",
        new String(json, StandardCharsets.UTF_8));
  }

  @Test
  void anUnpairedSurrogateHasNoCanonicalForm() {
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalJson.encode(Map.of("path", "a\uD800b")));
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalJson.encode(Map.of("path", "a\uDC00")));
  }
}
