package org.sentryml.training.ml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;

/**
 * A hand-written WordLevel tokenizer.json and seeded sentences whose label is their sentiment word.
 */
final class TextFixtures {
  private TextFixtures() {}

  static final String TOKENIZER =
      """
      {
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [
          {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
          {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": null,
        "decoder": null,
        "model": {
          "type": "WordLevel",
          "vocab": {"[PAD]": 0, "[UNK]": 1, "good": 2, "bad": 3, "the": 4, "film": 5, "was": 6, "very": 7,
                    "plot": 8, "actor": 9, "quite": 10, "a": 11},
          "unk_token": "[UNK]"
        }
      }
      """;

  static byte[] tokenizer() {
    return TOKENIZER.getBytes(StandardCharsets.UTF_8);
  }

  /** Label 1 when the sentence says "good", 0 when it says "bad"; the other words are noise. */
  static List<Sample> sentences(String split, int count, long seed) {
    String[] filler = {"the", "film", "was", "very", "plot", "actor", "quite", "a", "unseen"};
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int label = random.nextInt(2);
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 3 + random.nextInt(6); w++) {
        words.add(filler[random.nextInt(filler.length)]);
      }
      words.add(random.nextInt(words.size() + 1), label == 1 ? "Good" : "bad");
      samples.add(
          new Sample(
              String.format(Locale.ROOT, "%s/%08d", split, i),
              label,
              String.join(" ", words).getBytes(StandardCharsets.UTF_8),
              SampleKind.TEXT));
    }
    return samples;
  }
}
