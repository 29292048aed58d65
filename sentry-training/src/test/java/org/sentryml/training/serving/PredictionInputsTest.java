package org.sentryml.training.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.training.ml.ClassifierSpec;

class PredictionInputsTest {
  private static final ClassifierSpec IMAGES = ClassifierSpec.image(1, 28, 28, 10);
  private static final ClassifierSpec TEXTS = ClassifierSpec.text(12, 16, 2);

  @Test
  void aPngOfTheModelsSizeBecomesOneSampleWithItsExactBytes() {
    byte[] png = ServingImages.png(28, 28, 1);
    List<ServingInput> samples = PredictionInputs.parse(PredictionInputs.Shape.PNG, png, IMAGES, 8);
    assertEquals(1, samples.size());
    assertArrayEquals(png, samples.get(0).sample().data());
    assertEquals(SampleKind.IMAGE, samples.get(0).sample().kind());
  }

  @Test
  void aBodyWithoutThePngSignatureIsRefusedAsNotAPng() {
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () ->
                PredictionInputs.parse(
                    PredictionInputs.Shape.PNG,
                    "GIF89a...".getBytes(StandardCharsets.US_ASCII),
                    IMAGES,
                    8));
    assertTrue(e.getMessage().contains("not a PNG"), e.getMessage());
  }

  @Test
  void aTruncatedPngIsRefused() {
    byte[] png = ServingImages.png(28, 28, 2);
    byte[] truncated = java.util.Arrays.copyOf(png, 40);
    assertThrows(
        MalformedInputException.class,
        () -> PredictionInputs.parse(PredictionInputs.Shape.PNG, truncated, IMAGES, 8));
  }

  @Test
  void anImageOfAnotherSizeIsRefusedNamingBothSizes() {
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () ->
                PredictionInputs.parse(
                    PredictionInputs.Shape.PNG, ServingImages.png(32, 30, 3), IMAGES, 8));
    assertTrue(e.getMessage().contains("32x30, the model takes 28x28"), e.getMessage());
  }

  @Test
  void invalidUtf8TextIsRefused() {
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () -> PredictionInputs.parse(PredictionInputs.Shape.TEXT, latin1, TEXTS, 8));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void textIsRefusedByAnImageModelAndImagesByATextModel() {
    assertThrows(
        MalformedInputException.class,
        () ->
            PredictionInputs.parse(
                PredictionInputs.Shape.TEXT,
                "a good film".getBytes(StandardCharsets.UTF_8),
                IMAGES,
                8));
    assertThrows(
        MalformedInputException.class,
        () ->
            PredictionInputs.parse(
                PredictionInputs.Shape.PNG, ServingImages.png(28, 28, 4), TEXTS, 8));
  }

  @Test
  void aJsonBatchKeepsItsOrderAndNamesItsBadInput() {
    Base64.Encoder base64 = Base64.getEncoder();
    byte[] first = ServingImages.png(28, 28, 5);
    byte[] second = ServingImages.png(28, 28, 6);
    String body =
        "{\"inputs\": [\""
            + base64.encodeToString(first)
            + "\", \""
            + base64.encodeToString(second)
            + "\"]}";
    List<ServingInput> samples =
        PredictionInputs.parse(
            PredictionInputs.Shape.JSON, body.getBytes(StandardCharsets.UTF_8), IMAGES, 8);
    assertArrayEquals(first, samples.get(0).sample().data());
    assertArrayEquals(second, samples.get(1).sample().data());
    String bad =
        "{\"inputs\": [\""
            + base64.encodeToString(first)
            + "\", \""
            + base64.encodeToString(ServingImages.png(10, 10, 7))
            + "\"]}";
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () ->
                PredictionInputs.parse(
                    PredictionInputs.Shape.JSON, bad.getBytes(StandardCharsets.UTF_8), IMAGES, 8));
    assertTrue(e.getMessage().startsWith("inputs[1] is 10x10"), e.getMessage());
  }

  @Test
  void aJsonBatchOverTheLimitIsTooMany() {
    String body = "{\"inputs\": [\"a\", \"b\", \"c\"]}";
    assertThrows(
        PredictionInputs.TooManyInputsException.class,
        () ->
            PredictionInputs.parse(
                PredictionInputs.Shape.JSON, body.getBytes(StandardCharsets.UTF_8), TEXTS, 2));
  }

  @Test
  void malformedJsonBatchesAreRefused() {
    for (String body :
        List.of(
            "{\"inputs\": []}",
            "{\"inputs\": \"a\"}",
            "{\"inputs\": [1]}",
            "{\"inputs\": [\"a\"], \"extra\": 1}",
            "{\"inputs\": [\"a\"]",
            "[\"a\"]")) {
      assertThrows(
          MalformedInputException.class,
          () ->
              PredictionInputs.parse(
                  PredictionInputs.Shape.JSON, body.getBytes(StandardCharsets.UTF_8), TEXTS, 8),
          body);
    }
  }

  @Test
  void contentTypesChooseTheShapeAndOthersAreUnsupported() {
    assertEquals(
        PredictionInputs.Shape.PNG, PredictionInputs.shapeOf("image/png", SampleKind.IMAGE));
    assertEquals(
        PredictionInputs.Shape.JSON,
        PredictionInputs.shapeOf("application/json; charset=UTF-8", SampleKind.IMAGE));
    assertEquals(
        PredictionInputs.Shape.TEXT,
        PredictionInputs.shapeOf("text/plain;charset=utf-8", SampleKind.TEXT));
    assertEquals(PredictionInputs.Shape.PNG, PredictionInputs.shapeOf(null, SampleKind.IMAGE));
    assertEquals(PredictionInputs.Shape.TEXT, PredictionInputs.shapeOf("", SampleKind.TEXT));
    assertThrows(
        PredictionInputs.UnsupportedMediaException.class,
        () -> PredictionInputs.shapeOf("image/jpeg", SampleKind.IMAGE));
    assertThrows(
        PredictionInputs.UnsupportedMediaException.class,
        () -> PredictionInputs.shapeOf("text/plain; charset=iso-8859-1", SampleKind.TEXT));
  }
}
