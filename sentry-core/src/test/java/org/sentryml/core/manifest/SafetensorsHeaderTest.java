package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.testkit.Safetensors;
import org.sentryml.testkit.TestFiles;

/** A safetensors header is accepted only when it accounts for every byte of its file. */
class SafetensorsHeaderTest {
  @TempDir Path dir;

  /** A file of {@code le64(len(json)) ‖ json ‖ dataBytes bytes}. */
  private Path file(String json, int dataBytes) {
    return file(json.getBytes(StandardCharsets.UTF_8), dataBytes);
  }

  private Path file(byte[] json, int dataBytes) {
    return TestFiles.write(
        dir.resolve("m.safetensors"), Safetensors.withHeader(json, new byte[dataBytes]));
  }

  private static String tensor(String name, String dtype, String shape, String begin, String end) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  private MalformedSafetensorsException refused(Path file, String reason) {
    MalformedSafetensorsException e =
        assertThrows(MalformedSafetensorsException.class, () -> SafetensorsHeader.read(file));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    return e;
  }

  @Test
  void tensorsThatTileTheDataSectionAreListedInOffsetOrder() {
    Path file =
        file(
            "{\"__metadata__\":{\"format\":\"pt\"},"
                + tensor("b", "F32", "[2,3]", "8", "32")
                + ","
                + tensor("a", "I64", "[1]", "0", "8")
                + ","
                + tensor("empty", "F16", "[0,4]", "32", "32")
                + "}",
            32);
    SafetensorsHeader header = SafetensorsHeader.read(file);
    assertEquals(
        List.of("a", "b", "empty"),
        header.tensors().stream().map(SafetensorsHeader.Tensor::name).toList());
    assertEquals(8 + header.headerLength() - 8, header.headerLength());
  }

  @Test
  void headerPaddedWithSpacesIsAccepted() {
    Path file = file("{" + tensor("a", "U8", "[4]", "0", "4") + "}    ", 4);
    assertEquals(1, SafetensorsHeader.read(file).tensors().size());
  }

  @Test
  void bytesAfterTheLastTensorAreRefused() {
    refused(
        file("{" + tensor("a", "U8", "[4]", "0", "4") + "}", 5),
        "1 trailing bytes belong to no tensor");
  }

  @Test
  void gapBetweenTensorsIsRefused() {
    refused(
        file(
            "{"
                + tensor("a", "U8", "[4]", "0", "4")
                + ","
                + tensor("b", "U8", "[4]", "6", "10")
                + "}",
            10),
        "bytes [4, 6) of the data section belong to no tensor");
  }

  @Test
  void dataBeforeTheFirstTensorIsRefused() {
    refused(file("{" + tensor("a", "U8", "[4]", "2", "6") + "}", 6), "bytes [0, 2)");
  }

  @Test
  void overlappingTensorsAreRefused() {
    refused(
        file(
            "{"
                + tensor("a", "U8", "[4]", "0", "4")
                + ","
                + tensor("b", "U8", "[4]", "2", "6")
                + "}",
            6),
        "overlaps");
  }

  @Test
  void tensorEndingPastTheFileIsRefused() {
    refused(
        file("{" + tensor("a", "U8", "[8]", "0", "8") + "}", 4), "ends past the end of the file");
  }

  @Test
  void repeatedTensorNameIsRefused() {
    refused(
        file(
            "{"
                + tensor("a", "U8", "[2]", "0", "2")
                + ","
                + tensor("a", "U8", "[2]", "2", "4")
                + "}",
            4),
        "duplicate key a");
  }

  @Test
  void sizeThatDisagreesWithDtypeAndShapeIsRefused() {
    refused(
        file("{" + tensor("a", "F32", "[2]", "0", "4") + "}", 4),
        "spans 4 bytes, but its dtype and shape imply 8");
  }

  @Test
  void endOffsetThatWouldWrapAround64BitsIsRefused() {
    // 2^64 + 5: read as a wrapping long it would be 5, and the tensor would look 5 bytes long.
    refused(
        file("{" + tensor("a", "U8", "[5]", "0", "18446744073709551621") + "}", 5),
        "not an unsigned integer below 2^63");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.0", "4e0", "-0", "04", "\"4\""})
  void offsetsThatAreNotPlainUnsignedIntegersAreRefused(String end) {
    refused(file("{" + tensor("a", "U8", "[4]", "0", end) + "}", 4), "data_offsets");
  }

  @Test
  void shapeWhoseElementCountOverflowsIsRefused() {
    refused(
        file("{" + tensor("a", "U8", "[4294967296,4294967296]", "0", "4") + "}", 4),
        "more elements than a file can hold");
  }

  @Test
  void headerLengthOfTwoToTheSixtyThreeIsRefusedAsTooLarge() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MIN_VALUE).array());
    out.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
    refused(
        TestFiles.write(dir.resolve("big.safetensors"), out.toByteArray()),
        "header length 9223372036854775808");
  }

  @Test
  void tensorNamedLikeTheHeaderResourceIsRefused() {
    refused(
        file("{" + tensor("__header__", "U8", "[4]", "0", "4") + "}", 4),
        "reserves for the header");
  }

  @Test
  void unknownDtypeIsRefused() {
    refused(file("{" + tensor("a", "Q4", "[4]", "0", "4") + "}", 4), "no known dtype");
  }

  @Test
  void subByteDtypesMustFillWholeBytes() {
    assertEquals(
        1,
        SafetensorsHeader.read(file("{" + tensor("a", "F4", "[4]", "0", "2") + "}", 2))
            .tensors()
            .size());
    refused(file("{" + tensor("a", "F4", "[3]", "0", "2") + "}", 2), "does not fill whole bytes");
  }

  @Test
  void headerThatIsNotUtf8IsRefused() {
    byte[] json = ("{" + tensor("a", "U8", "[4]", "0", "4") + "}").getBytes(StandardCharsets.UTF_8);
    json[3] = (byte) 0xff;
    refused(file(json, 4), "not UTF-8");
  }

  @Test
  void headerWithAByteOrderMarkIsRefused() {
    refused(file("\uFEFF{" + tensor("a", "U8", "[4]", "0", "4") + "}", 4), "must start with '{'");
  }

  @Test
  void metadataValuesMustBeStrings() {
    refused(
        file("{\"__metadata__\":{\"epoch\":3}," + tensor("a", "U8", "[4]", "0", "4") + "}", 4),
        "is not a string");
  }

  @Test
  void unknownTensorFieldIsRefused() {
    refused(
        file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"extra\":1}}", 1),
        "unknown field");
  }
}
