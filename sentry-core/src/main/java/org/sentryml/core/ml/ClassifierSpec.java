package org.sentryml.core.ml;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.sentryml.core.attestation.JsonFields;
import org.sentryml.core.attestation.StrictJson;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.SentryException;

/**
 * What a saved classifier is: its architecture, input shape and class count, stored as {@code
 * model.json} beside the parameters so that a loader rebuilds exactly the network the parameters
 * belong to.
 *
 * @param architecture {@value #CNN} for images (more may follow)
 * @param channels 1 (grayscale) or 3 (RGB)
 */
public record ClassifierSpec(String architecture, int channels, int height, int width, int classes) {
  public static final String FILE = "model.json";
  public static final String CNN = "cnn-v1";
  static final String FORMAT = "https://sentryml.org/classifier/v1";

  public ClassifierSpec {
    if (!CNN.equals(architecture)) {
      throw new IllegalArgumentException("unknown architecture '" + architecture + "'; this build knows " + CNN);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
    }
    if (height < 8 || width < 8 || height > 1024 || width > 1024) {
      throw new IllegalArgumentException("image size " + height + "x" + width + " is outside 8..1024");
    }
    if (classes < 2 || classes > 100_000) {
      throw new IllegalArgumentException("a classifier needs 2..100000 classes, not " + classes);
    }
  }

  public byte[] toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("architecture", architecture);
    json.addProperty("channels", channels);
    json.addProperty("height", height);
    json.addProperty("width", width);
    json.addProperty("classes", classes);
    return (new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Parses {@code model.json}; BAD_INPUT naming the field when it is malformed. */
  public static ClassifierSpec fromJson(byte[] bytes) {
    JsonFields json = new JsonFields(StrictJson.parseObject(new String(bytes, StandardCharsets.UTF_8), FILE), "", FILE);
    if (!FORMAT.equals(json.string("format"))) {
      throw json.error("format", "must be " + FORMAT);
    }
    try {
      return new ClassifierSpec(json.string("architecture"), (int) json.int64("channels"), (int) json.int64("height"),
          (int) json.int64("width"), (int) json.int64("classes"));
    } catch (IllegalArgumentException e) {
      throw new SentryException(ExitCode.BAD_INPUT, FILE + ": " + e.getMessage());
    }
  }
}
