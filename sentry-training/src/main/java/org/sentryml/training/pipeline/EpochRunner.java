package org.sentryml.training.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.data.dataset.LoaderCursor;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.data.dataset.StreamingLoader;
import org.sentryml.training.checkpoint.BackgroundCheckpoints;
import org.sentryml.training.checkpoint.CheckpointState;
import org.sentryml.training.checkpoint.FaultPoints;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.TrainingConfig;

/**
 * Runs epochs step by step, writing a checkpoint every {@code every} steps, and continues an epoch
 * from a checkpoint: the session's parameters and optimizer state, the training pass's cursor and
 * partial lattices, and the epoch's running figures are restored, so the rest of the run is the one
 * the uninterrupted run would have trained. Not thread-safe.
 */
final class EpochRunner {
  private static final int EVAL_BATCH = 256;

  private final ClassifierSession session;
  private final StreamingLoader loader;
  private final TrainingPipeline.Splits splits;
  private final TrainingConfig config;
  private final CheckpointOptions resilience;
  private final @Nullable BackgroundCheckpoints checkpoints;
  private final TaskProgress progress;
  private final JsonObject run;
  private final List<TrainingPipeline.EpochStats> epochs = new ArrayList<>();
  private long step;
  private @Nullable CheckpointState resumeFrom;

  EpochRunner(
      ClassifierSession session,
      StreamingLoader loader,
      TrainingPipeline.Splits splits,
      TrainingConfig config,
      CheckpointOptions resilience,
      @Nullable BackgroundCheckpoints checkpoints,
      TaskProgress progress,
      JsonObject run) {
    this.session = session;
    this.loader = loader;
    this.splits = splits;
    this.config = config;
    this.resilience = resilience;
    this.checkpoints = checkpoints;
    this.progress = progress;
    this.run = run.deepCopy();
    this.run.addProperty("epochs", config.epochs());
    this.run.addProperty("batch_size", config.batchSize());
    this.run.addProperty("learning_rate", Float.toString(config.learningRate()));
  }

  /** The epochs finished so far (the caller adds each once its dataset check passes). */
  List<TrainingPipeline.EpochStats> epochs() {
    return epochs;
  }

  /**
   * Continues from {@code state}.
   *
   * @throws UsageException when the checkpointed run trained with another configuration
   */
  void restore(CheckpointState state) {
    JsonObject progress = state.progress();
    JsonObject saved = progress.getAsJsonObject("run");
    if (!saved.equals(run)
        || state.seed() != config.seed()
        || state.threads() != resilience.threads()) {
      throw new UsageException(
          "the checkpointed run trained with "
              + saved
              + ", seed "
              + state.seed()
              + " and "
              + state.threads()
              + " threads; this one asks for "
              + run
              + ", seed "
              + config.seed()
              + " and "
              + resilience.threads()
              + " threads: resume with the same options");
    }
    session.restore(state.training());
    for (JsonElement e : progress.getAsJsonArray("epochs")) {
      JsonObject o = e.getAsJsonObject();
      epochs.add(
          new TrainingPipeline.EpochStats(
              o.get("epoch").getAsInt(),
              Double.longBitsToDouble(Long.parseUnsignedLong(o.get("loss").getAsString(), 16)),
              o.get("train_accuracy").getAsDouble(),
              o.has("eval_accuracy") ? o.get("eval_accuracy").getAsDouble() : Double.NaN,
              o.get("train_samples").getAsLong(),
              o.get("eval_samples").getAsLong(),
              o.get("seconds").getAsDouble(),
              o.get("hashing_seconds").getAsDouble()));
    }
    step = state.step();
    resumeFrom = state;
  }

  /** Epoch {@code epoch}: the rest of its training pass, then its evaluation pass. */
  TrainingPipeline.Epoch run(int epoch) {
    long started = System.nanoTime();
    Sums sums = new Sums();
    long passSeed = config.seed() * 1_000_003L + epoch;
    long trainTotal =
        splits.train().stream()
            .mapToLong(s -> loader.index().sources().stream().mapToLong(x -> x.samples(s)).sum())
            .sum();
    SourceLattices lattices = new SourceLattices();
    progress.start("epoch " + epoch + "/" + config.epochs(), trainTotal, "samples");
    CheckpointState from = resumeFrom;
    resumeFrom = null;
    if (from != null) {
      sums.restore(from.progress().getAsJsonObject("sums"));
      progress.advance(sums.seen);
    }
    try (StreamingLoader.Pass pass =
        from == null
            ? loader.pass(splits.train(), config.batchSize(), passSeed, true)
            : loader.resume(
                splits.train(),
                config.batchSize(),
                passSeed,
                true,
                from.cursor(),
                from.lattices())) {
      while (pass.hasNext()) {
        List<Sample> batch = pass.next();
        FaultPoints.reach(FaultPoints.MID_BATCH);
        ClassifierSession.StepResult result = session.trainBatch(batch);
        sums.add(result);
        step++;
        progress.advance(batch.size());
        if (checkpoints != null && step % resilience.every() == 0) {
          sums.hashing = pass.hashingSeconds() + sums.hashingBefore;
          checkpoints.write(state(epoch, pass, sums));
        }
      }
      lattices.addAll(pass.lattices());
      sums.hashing = sums.hashingBefore + pass.hashingSeconds();
    } finally {
      progress.finish();
    }
    long evalCorrect = 0;
    long evalSeen = 0;
    if (!splits.eval().isEmpty()) {
      try (StreamingLoader.Pass pass =
          loader.pass(splits.eval(), EVAL_BATCH, config.seed() + epoch, true)) {
        while (pass.hasNext()) {
          List<Sample> batch = pass.next();
          int[] predicted = session.predict(batch);
          for (int i = 0; i < predicted.length; i++) {
            evalCorrect += predicted[i] == batch.get(i).label() ? 1 : 0;
          }
          evalSeen += batch.size();
        }
        lattices.addAll(pass.lattices());
        sums.hashing += pass.hashingSeconds();
      }
    }
    double seconds = sums.secondsBefore + (System.nanoTime() - started) / 1e9;
    TrainingPipeline.EpochStats stats =
        new TrainingPipeline.EpochStats(
            epoch,
            sums.batches == 0 ? 0 : sums.lossSum / sums.batches,
            sums.seen == 0 ? 0 : (double) sums.correct / sums.seen,
            evalSeen == 0 ? Double.NaN : (double) evalCorrect / evalSeen,
            sums.seen,
            evalSeen,
            seconds,
            sums.hashing);
    return new TrainingPipeline.Epoch(stats, lattices);
  }

  private CheckpointState state(int epoch, StreamingLoader.Pass pass, Sums sums) {
    JsonObject progress = new JsonObject();
    progress.add("run", run);
    JsonArray done = new JsonArray();
    for (TrainingPipeline.EpochStats s : epochs) {
      JsonObject o = new JsonObject();
      o.addProperty("epoch", s.epoch());
      o.addProperty("loss", Long.toHexString(Double.doubleToRawLongBits(s.loss())));
      o.addProperty("train_accuracy", s.trainAccuracy());
      if (!Double.isNaN(s.evalAccuracy())) {
        o.addProperty("eval_accuracy", s.evalAccuracy());
      }
      o.addProperty("train_samples", s.trainSamples());
      o.addProperty("eval_samples", s.evalSamples());
      o.addProperty("seconds", s.seconds());
      o.addProperty("hashing_seconds", s.hashingSeconds());
      done.add(o);
    }
    progress.add("epochs", done);
    progress.add("sums", sums.toJson());
    LoaderCursor cursor = pass.cursor();
    return new CheckpointState(
        checkpoints.store().runId(),
        step,
        epoch,
        cursor,
        pass.lattices(),
        progress,
        config.seed(),
        resilience.threads(),
        Map.of("engine", session.engineVersion()),
        session.snapshot());
  }

  /** The training pass's running figures, kept across a resume. */
  private static final class Sums {
    double lossSum;
    long correct;
    long seen;
    long batches;
    double hashing;
    double hashingBefore;
    double secondsBefore;
    private final long started = System.nanoTime();

    void add(ClassifierSession.StepResult result) {
      lossSum += result.loss();
      correct += result.correct();
      seen += result.samples();
      batches++;
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject();
      json.addProperty("loss_sum", Long.toHexString(Double.doubleToRawLongBits(lossSum)));
      json.addProperty("correct", correct);
      json.addProperty("seen", seen);
      json.addProperty("batches", batches);
      json.addProperty("hashing_seconds", hashing);
      json.addProperty("seconds", secondsBefore + (System.nanoTime() - started) / 1e9);
      return json;
    }

    void restore(JsonObject json) {
      lossSum =
          Double.longBitsToDouble(Long.parseUnsignedLong(json.get("loss_sum").getAsString(), 16));
      correct = json.get("correct").getAsLong();
      seen = json.get("seen").getAsLong();
      batches = json.get("batches").getAsLong();
      hashingBefore = json.get("hashing_seconds").getAsDouble();
      secondsBefore = json.get("seconds").getAsDouble();
    }
  }
}
