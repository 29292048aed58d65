package org.sentryml.training.checkpoint;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.sentryml.data.dataset.LoaderCursor;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.EngineThreads;
import org.sentryml.training.ml.TrainingConfig;

/**
 * Checkpoint cost, for docs/BENCHMARKS.md (not a test: run by hand, see that page). Prints, for the
 * demo CNN (28x28, 10 classes) and for cnn-v1 on 224x224 images (over 100 MB of parameters), the
 * time to write one checkpoint (seal, fsync, rename, LATEST) and to restore it (read, verify,
 * decode, copy into the network); then the overhead of checkpointing at the default interval, as
 * training time with checkpoints against training time without, alternated in this run.
 */
public final class CheckpointBenchmark {
  private CheckpointBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/tmp"), "ckbench");
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    EngineThreads.pin(1);
    ClassifierSpec demo = ClassifierSpec.image(1, 28, 28, 10);
    List<Sample> small = images(64, 28, 1);
    writeAndRestore("demo cnn-v1 28x28", demo, small, dir.resolve("demo"));
    ClassifierSpec large = ClassifierSpec.image(1, 224, 224, 10);
    writeAndRestore("cnn-v1 224x224", large, images(2, 224, 2), dir.resolve("large"));
    overhead(demo, small, dir.resolve("overhead"), steps);
  }

  private static void writeAndRestore(
      String name, ClassifierSpec spec, List<Sample> batch, Path dir) {
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, batch.size(), 1e-3f, 1), null)) {
      session.trainBatch(batch);
      ClassifierSession.Snapshot snapshot = session.snapshot();
      CheckpointStore store = CheckpointStore.create(dir, CheckpointKeys.runKey(), 3, null);
      double write = Double.MAX_VALUE;
      double restore = Double.MAX_VALUE;
      for (int rep = 1; rep <= 3; rep++) {
        long t0 = System.nanoTime();
        store.write(state(store.runId(), rep, snapshot));
        long t1 = System.nanoTime();
        CheckpointStore.Loaded loaded =
            CheckpointStore.open(dir, CheckpointKeys.runKey(), 3, null)
                .newest(m -> {})
                .orElseThrow();
        session.restore(loaded.state().training());
        long t2 = System.nanoTime();
        write = Math.min(write, (t1 - t0) / 1e6);
        restore = Math.min(restore, (t2 - t1) / 1e6);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: parameters %.1f MB, checkpoint %.1f MB, write %.0f ms (%.0f MB/s), restore %.0f ms"
              + " (%.0f MB/s)%n",
          name,
          snapshot.parameters().length / 1e6,
          (snapshot.parameters().length + snapshot.optimizer().length) / 1e6,
          write,
          (snapshot.parameters().length + snapshot.optimizer().length) / 1e3 / write,
          restore,
          (snapshot.parameters().length + snapshot.optimizer().length) / 1e3 / restore);
      store.finish(m -> {});
    }
  }

  /**
   * Training time without checkpoints, with them committed on the training thread, and with them
   * committed in the background (what the trainer does), alternated three times; every commit is
   * finished inside the timed run.
   */
  private static void overhead(ClassifierSpec spec, List<Sample> batch, Path dir, int steps) {
    int rounds = 3;
    double[] off = new double[rounds];
    double[] inline = new double[rounds];
    double[] background = new double[rounds];
    for (int rep = 0; rep < rounds; rep++) {
      off[rep] = train(spec, batch, null, false, steps);
      CheckpointStore store =
          CheckpointStore.create(dir.resolve("i" + rep), CheckpointKeys.runKey(), 3, null);
      inline[rep] = train(spec, batch, store, false, steps);
      store.finish(m -> {});
      store = CheckpointStore.create(dir.resolve("b" + rep), CheckpointKeys.runKey(), 3, null);
      background[rep] = train(spec, batch, store, true, steps);
      store.finish(m -> {});
    }
    double offBest = min(off);
    System.out.printf(
        Locale.ROOT,
        "%d steps of batch %d, a checkpoint every %d steps: without %.2f s; committed inline %.2f s"
            + " (overhead %.2f%%); in the background %.2f s (overhead %.2f%%); runs off %s, inline"
            + " %s, background %s%n",
        steps,
        batch.size(),
        org.sentryml.training.pipeline.CheckpointOptions.DEFAULT_EVERY,
        offBest,
        min(inline),
        100 * (min(inline) / offBest - 1),
        min(background),
        100 * (min(background) / offBest - 1),
        java.util.Arrays.toString(off),
        java.util.Arrays.toString(inline),
        java.util.Arrays.toString(background));
  }

  private static double min(double[] values) {
    return java.util.Arrays.stream(values).min().orElseThrow();
  }

  private static double train(
      ClassifierSpec spec,
      List<Sample> batch,
      CheckpointStore store,
      boolean inBackground,
      int steps) {
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, batch.size(), 1e-3f, 1), null)) {
      long t0 = System.nanoTime();
      try (BackgroundCheckpoints checkpoints =
          store != null && inBackground ? new BackgroundCheckpoints(store) : null) {
        for (int step = 1; step <= steps; step++) {
          session.trainBatch(batch);
          if (store != null
              && step % org.sentryml.training.pipeline.CheckpointOptions.DEFAULT_EVERY == 0) {
            CheckpointState state = state(store.runId(), step, session.snapshot());
            if (checkpoints != null) {
              checkpoints.write(state);
            } else {
              store.write(state);
            }
          }
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static CheckpointState state(
      String runId, long step, ClassifierSession.Snapshot snapshot) {
    return new CheckpointState(
        runId,
        step,
        1,
        new LoaderCursor(step, List.of(), List.of(), List.of()),
        new SourceLattices(),
        new JsonObject(),
        1,
        1,
        Map.of(),
        snapshot);
  }

  private static List<Sample> images(int count, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          image.getRaster().setSample(x, y, 0, random.nextInt(256));
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "png", png);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      samples.add(
          new Sample(
              String.format(Locale.ROOT, "train/%08d", i),
              random.nextInt(10),
              png.toByteArray(),
              SampleKind.IMAGE));
    }
    return samples;
  }
}
