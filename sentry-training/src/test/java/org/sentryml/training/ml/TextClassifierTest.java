package org.sentryml.training.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.data.dataset.Sample;
import org.sentryml.testkit.TestTags;

@Tag(TestTags.E2E)
class TextClassifierTest {
  @TempDir Path dir;

  @Test
  void tokenizerVocabularyIncludesAddedTokens() {
    try (TextFeatures text = TextFeatures.fromJson(TextFixtures.tokenizer())) {
      assertEquals(12, text.vocabSize());
    }
  }

  @Test
  void learnsTheSentimentWordAndSurvivesSaveAndLoad() throws IOException {
    List<Sample> train = TextFixtures.sentences("train", 512, 1);
    List<Sample> test = TextFixtures.sentences("test", 128, 2);
    ClassifierSpec spec = ClassifierSpec.text(12, 16, 2);
    int[] predicted;
    try (ClassifierSession session =
        ClassifierSession.create(
            spec,
            new TrainingConfig(1, 32, 0.05f, 3),
            TextFeatures.fromJson(TextFixtures.tokenizer()))) {
      for (int epoch = 0; epoch < 4; epoch++) {
        for (int i = 0; i < train.size(); i += 32) {
          session.trainBatch(train.subList(i, i + 32));
        }
      }
      predicted = session.predict(test);
      session.save(dir);
    }
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == test.get(i).label() ? 1 : 0;
    }
    assertTrue(correct >= 0.95 * test.size(), "accuracy " + correct + "/" + test.size());
    Map<String, ByteBuffer> files = new HashMap<>();
    for (String name :
        List.of(ClassifierSpec.FILE, ClassifierSession.PARAMS_FILE, TextFeatures.FILE)) {
      files.put(name, ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))));
    }
    try (ClassifierSession loaded = ClassifierSession.load(files)) {
      assertArrayEquals(predicted, loaded.predict(test));
    }
    files.remove(TextFeatures.FILE);
    SentryException e = assertThrows(SentryException.class, () -> ClassifierSession.load(files));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains(TextFeatures.FILE), e.getMessage());
  }

  @Test
  void malformedTokenizerIsBadInput() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> TextFeatures.fromJson("{\"model\": 3}".getBytes(StandardCharsets.UTF_8)));
    assertInstanceOf(MalformedInputException.class, e);
  }
}
