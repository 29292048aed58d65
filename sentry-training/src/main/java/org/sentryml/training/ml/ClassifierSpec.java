package org.sentryml.training.ml;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.data.dataset.SampleKind;

/**
 * What a saved classifier is: its architecture, input shape and class count, stored as {@code
 * model.json} beside the parameters so that a loader rebuilds exactly the network the parameters
 * belong to.
 *
 * @param architecture {@value #CNN} for images, {@value #TEXT} for tokenised text
 * @param channels 1 (grayscale) or 3 (RGB); 0 for text
 * @param height image height; 0 for text
 * @param width image width; 0 for text
 * @param vocabSize token ids lie below this (id 0 is padding); 0 for images
 * @param maxTokens tokens kept per text; 0 for images
 */
public record ClassifierSpec(
    String architecture,
    int channels,
    int height,
    int width,
    int vocabSize,
    int maxTokens,
    int classes) {
  public static final String FILE = "model.json";
  public static final String CNN = "cnn-v1";
  public static final String TEXT = "text-v1";
  static final String FORMAT = "https://sentryml.org/classifier/v1";

  public ClassifierSpec {
    switch (architecture) {
      case CNN -> {
        if (channels != 1 && channels != 3) {
          throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        if (height < 8 || width < 8 || height > 1024 || width > 1024) {
          throw new IllegalArgumentException(
              "image size " + height + "x" + width + " is outside 8..1024");
        }
        if (vocabSize != 0 || maxTokens != 0) {
          throw new IllegalArgumentException(CNN + " takes no vocabulary");
        }
      }
      case TEXT -> {
        if (vocabSize < 2 || vocabSize > 2_000_000 || maxTokens < 1 || maxTokens > 8192) {
          throw new IllegalArgumentException(
              TEXT
                  + " needs a vocabulary of 2..2000000 ids and 1..8192 tokens, not "
                  + vocabSize
                  + " and "
                  + maxTokens);
        }
        if (channels != 0 || height != 0 || width != 0) {
          throw new IllegalArgumentException(TEXT + " takes no image shape");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown architecture '"
                  + architecture
                  + "'; this build knows "
                  + CNN
                  + " and "
                  + TEXT);
    }
    if (classes < 2 || classes > 100_000) {
      throw new IllegalArgumentException("a classifier needs 2..100000 classes, not " + classes);
    }
  }

  public static ClassifierSpec image(int channels, int height, int width, int classes) {
    return new ClassifierSpec(CNN, channels, height, width, 0, 0, classes);
  }

  public static ClassifierSpec text(int vocabSize, int maxTokens, int classes) {
    return new ClassifierSpec(TEXT, 0, 0, 0, vocabSize, maxTokens, classes);
  }

  /** What the network reads. */
  public SampleKind kind() {
    return TEXT.equals(architecture) ? SampleKind.TEXT : SampleKind.IMAGE;
  }

  public byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("architecture", architecture);
    if (kind() == SampleKind.IMAGE) {
      json.addProperty("channels", channels);
      json.addProperty("height", height);
      json.addProperty("width", width);
    } else {
      json.addProperty("vocab_size", vocabSize);
      json.addProperty("max_tokens", maxTokens);
    }
    json.addProperty("classes", classes);
    return (new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Parses {@code model.json}; BAD_INPUT naming the field when it is malformed. */
  public static ClassifierSpec fromJson(byte[] bytes) {
    JsonFields json =
        new JsonFields(
            StrictJson.parseObject(new String(bytes, StandardCharsets.UTF_8), FILE), "", FILE);
    if (!FORMAT.equals(json.string("format"))) {
      throw json.error("format", "must be " + FORMAT);
    }
    try {
      String architecture = json.string("architecture");
      int classes = (int) json.int64("classes");
      return TEXT.equals(architecture)
          ? text((int) json.int64("vocab_size"), (int) json.int64("max_tokens"), classes)
          : new ClassifierSpec(
              architecture,
              (int) json.int64("channels"),
              (int) json.int64("height"),
              (int) json.int64("width"),
              0,
              0,
              classes);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(FILE + ": " + e.getMessage());
    }
  }
}
