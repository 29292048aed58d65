package org.sentryml.training.ml;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Reads the vocabulary size of a {@code tokenizer.json}: its model's vocabulary and added tokens.
 */
final class TokenizerVocabulary {
  private TokenizerVocabulary() {}

  static int size(byte[] json) {
    long largest = -1;
    try {
      JsonObject root =
          JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      JsonElement vocab = root.getAsJsonObject("model").get("vocab");
      if (vocab != null && vocab.isJsonObject()) {
        for (var entry : vocab.getAsJsonObject().entrySet()) {
          largest = Math.max(largest, entry.getValue().getAsLong());
        }
      } else if (vocab != null && vocab.isJsonArray()) {
        largest = vocab.getAsJsonArray().size() - 1L;
      }
      JsonElement added = root.get("added_tokens");
      if (added != null && added.isJsonArray()) {
        for (JsonElement token : added.getAsJsonArray()) {
          largest = Math.max(largest, token.getAsJsonObject().get("id").getAsLong());
        }
      }
    } catch (RuntimeException e) {
      throw new MalformedInputException(
          TextFeatures.FILE + ": cannot read its vocabulary: " + e.getMessage());
    }
    if (largest < 1) {
      throw new MalformedInputException(TextFeatures.FILE + " has no vocabulary (model.vocab)");
    }
    return Math.toIntExact(largest + 1);
  }
}
