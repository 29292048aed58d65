package org.sentryml.training.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.StrictJson;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.ImageFeatures;

/**
 * Turns the body of a {@code POST /v1/predict} into samples the served model can take, or refuses
 * it with one line saying why (a {@link MalformedInputException}, which the server answers with
 * 400). Three shapes are accepted:
 *
 * <ul>
 *   <li>{@code image/png} (or {@code application/octet-stream}): one PNG, for an image model;
 *   <li>{@code text/plain} (UTF-8): one text, for a text model;
 *   <li>{@code application/json}: {@code {"inputs": [...]}}, base64 PNGs for an image model or
 *       strings for a text model, answered in the same order.
 * </ul>
 *
 * Every image is decoded, its size checked and its pixels laid out here, on the request's thread,
 * before it is queued: one bad input never fails the batch it would have joined, and the batch
 * thread runs only the forward pass. Stateless and thread-safe.
 */
public final class PredictionInputs {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** What a request body was declared to be. */
  public enum Shape {
    PNG,
    TEXT,
    JSON
  }

  private PredictionInputs() {}

  /**
   * The shape a {@code Content-Type} header names for a model reading {@code kind}; without a
   * header, the model's own single-input shape.
   *
   * @throws UnsupportedMediaException for any other type (answered 415)
   */
  public static Shape shapeOf(@Nullable String contentType, SampleKind kind) {
    if (contentType == null || contentType.isBlank()) {
      return kind == SampleKind.IMAGE ? Shape.PNG : Shape.TEXT;
    }
    String[] parts = contentType.split(";", -1);
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")
          && !List.of("utf-8", "\"utf-8\"").contains(parameter.substring("charset=".length()))) {
        throw new UnsupportedMediaException(
            "only UTF-8 is accepted, not " + parameter.substring("charset=".length()));
      }
    }
    return switch (type) {
      case "image/png", "application/octet-stream" -> Shape.PNG;
      case "text/plain" -> Shape.TEXT;
      case "application/json" -> Shape.JSON;
      default ->
          throw new UnsupportedMediaException(
              "content type "
                  + type
                  + " is not accepted; send image/png, text/plain or application/json");
    };
  }

  /**
   * The samples in {@code body}, in order.
   *
   * @param maxInputs the most inputs a JSON batch may hold
   * @throws MalformedInputException naming the input and the reason
   * @throws TooManyInputsException when a JSON batch holds more than {@code maxInputs}
   */
  public static List<ServingInput> parse(
      Shape shape, byte[] body, ClassifierSpec spec, int maxInputs) {
    return switch (shape) {
      case PNG -> List.of(image(body, spec, "the body"));
      case TEXT -> List.of(text(body, spec, "the body"));
      case JSON -> batch(body, spec, maxInputs);
    };
  }

  private static List<ServingInput> batch(byte[] body, ClassifierSpec spec, int maxInputs) {
    String json = utf8(body, "the JSON body");
    JsonObject object = StrictJson.parseObject(json, "the JSON body");
    JsonElement inputs = object.get("inputs");
    if (inputs == null || !inputs.isJsonArray()) {
      throw new MalformedInputException("the JSON body needs an array \"inputs\"");
    }
    if (object.size() != 1) {
      throw new MalformedInputException("the JSON body holds fields besides \"inputs\"");
    }
    JsonArray array = inputs.getAsJsonArray();
    if (array.isEmpty()) {
      throw new MalformedInputException("\"inputs\" is empty");
    }
    if (array.size() > maxInputs) {
      throw new TooManyInputsException(
          "\"inputs\" holds " + array.size() + " inputs; at most " + maxInputs + " are accepted");
    }
    List<ServingInput> samples = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String where = "inputs[" + i + "]";
      JsonElement item = array.get(i);
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        throw new MalformedInputException(
            where
                + " must be a string ("
                + (spec.kind() == SampleKind.IMAGE ? "a base64 PNG" : "the text")
                + ")");
      }
      String value = item.getAsString();
      if (spec.kind() == SampleKind.IMAGE) {
        byte[] png;
        try {
          png = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
          throw new MalformedInputException(where + " is not base64: " + e.getMessage());
        }
        samples.add(image(png, spec, where));
      } else {
        samples.add(
            ServingInput.text(sample(value.getBytes(StandardCharsets.UTF_8), SampleKind.TEXT)));
      }
    }
    return samples;
  }

  private static ServingInput image(byte[] png, ClassifierSpec spec, String where) {
    if (spec.kind() != SampleKind.IMAGE) {
      throw new MalformedInputException(
          "this model (" + spec.architecture() + ") classifies text; send text/plain or JSON");
    }
    if (png.length < PNG_SIGNATURE.length
        || !Arrays.equals(png, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
      throw new MalformedInputException(where + " is not a PNG (no PNG signature)");
    }
    BufferedImage image;
    try {
      image = ImageFeatures.read(png);
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException(where + " is not a readable PNG: " + e.getMessage());
    }
    if (image == null) {
      throw new MalformedInputException(where + " is not a readable PNG");
    }
    if (image.getWidth() != spec.width() || image.getHeight() != spec.height()) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT,
              "%s is %dx%d, the model takes %dx%d",
              where,
              image.getWidth(),
              image.getHeight(),
              spec.width(),
              spec.height()));
    }
    float[] pixels = new float[spec.channels() * spec.height() * spec.width()];
    ImageFeatures.write(image, spec, pixels, 0);
    return ServingInput.image(sample(png, SampleKind.IMAGE), pixels);
  }

  private static ServingInput text(byte[] body, ClassifierSpec spec, String where) {
    if (spec.kind() != SampleKind.TEXT) {
      throw new MalformedInputException(
          "this model (" + spec.architecture() + ") classifies images; send image/png or JSON");
    }
    utf8(body, where);
    return ServingInput.text(sample(body, SampleKind.TEXT));
  }

  private static String utf8(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException(where + " is not valid UTF-8");
    }
  }

  private static Sample sample(byte[] data, SampleKind kind) {
    // The label is unused at prediction time; the key only has to be a valid sample key.
    return new Sample("request/input", 0, data, kind);
  }

  /** A body whose declared type the server does not take (answered 415). */
  public static final class UnsupportedMediaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedMediaException(String message) {
      super(message);
    }
  }

  /** A JSON batch with more inputs than the server takes in one request (answered 413). */
  public static final class TooManyInputsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManyInputsException(String message) {
      super(message);
    }
  }
}
