package org.sentryml.training.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.testkit.TestTags;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.TrainingConfig;

/** The batcher on a real (freshly initialised) network. */
@Tag(TestTags.E2E)
class MicroBatcherTest {
  private static final ClassifierSpec SPEC = ClassifierSpec.image(1, 28, 28, 10);

  private static ServedModel model(String root, long seed) {
    ClassifierSession session =
        ClassifierSession.create(SPEC, new TrainingConfig(1, 1, 1e-3f, seed), null);
    return new ServedModel(
        Path.of("models"), root, "test", Optional.empty(), Instant.EPOCH, session);
  }

  private static Sample image(long seed) {
    return new Sample("request/input", 0, ServingImages.png(28, 28, seed), SampleKind.IMAGE);
  }

  /** An image as the server's parser hands it over: decoded on the request's thread. */
  private static ServingInput decoded(Sample image) {
    return PredictionInputs.parse(PredictionInputs.Shape.PNG, image.data(), SPEC, 1).get(0);
  }

  @Test
  void concurrentRequestsShareOneForwardPassAndGetTheirOwnAnswers() throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    try (ClassifierSession reference =
            ClassifierSession.create(SPEC, new TrainingConfig(1, 1, 1e-3f, 7), null);
        ModelHolder holder = new ModelHolder(model("aa", 7));
        MicroBatcher batcher = new MicroBatcher(holder, 4, Duration.ofSeconds(5), 16, metrics)) {
      List<Sample> inputs = List.of(image(1), image(2), image(3), image(4));
      List<CompletableFuture<MicroBatcher.Answer>> answers = new ArrayList<>();
      for (Sample input : inputs) {
        answers.add(batcher.submit(List.of(decoded(input))));
      }
      for (int i = 0; i < inputs.size(); i++) {
        MicroBatcher.Answer answer = answers.get(i).get();
        assertEquals("aa", answer.modelRoot());
        float[] expected = reference.probabilities(List.of(inputs.get(i)))[0];
        float[] actual = answer.predictions().get(0).probabilities();
        for (int c = 0; c < expected.length; c++) {
          assertEquals(expected[c], actual[c], 1e-5f, "input " + i + " class " + c);
        }
      }
      assertTrue(metrics.render().contains("sentry_batches_total 1\n"), metrics.render());
      assertTrue(metrics.render().contains("sentry_batched_inputs_total 4\n"));
    }
  }

  @Test
  void aMalformedInputFailsAloneAndTheRestOfItsBatchIsAnswered() throws Exception {
    try (ModelHolder holder = new ModelHolder(model("aa", 1));
        MicroBatcher batcher =
            new MicroBatcher(holder, 3, Duration.ofSeconds(5), 16, new ServingMetrics())) {
      CompletableFuture<MicroBatcher.Answer> good = batcher.submit(List.of(decoded(image(1))));
      CompletableFuture<MicroBatcher.Answer> bad =
          batcher.submit(
              List.of(
                  ServingInput.text(
                      new Sample(
                          "request/input",
                          0,
                          "text".getBytes(StandardCharsets.UTF_8),
                          SampleKind.TEXT))));
      CompletableFuture<MicroBatcher.Answer> alsoGood = batcher.submit(List.of(decoded(image(2))));
      assertEquals(1, good.get().predictions().size());
      assertEquals(1, alsoGood.get().predictions().size());
      ExecutionException e = assertThrows(ExecutionException.class, bad::get);
      assertInstanceOf(MalformedInputException.class, e.getCause());
    }
  }

  @Test
  void aSwappedModelAnswersTheNextBatch() throws Exception {
    try (ModelHolder holder = new ModelHolder(model("aa", 1));
        MicroBatcher batcher =
            new MicroBatcher(holder, 1, Duration.ZERO, 16, new ServingMetrics())) {
      assertEquals("aa", batcher.submit(List.of(decoded(image(1)))).get().modelRoot());
      holder.swap(model("bb", 2));
      assertEquals("bb", batcher.submit(List.of(decoded(image(1)))).get().modelRoot());
    }
  }
}
