package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.agent.trainer.TrainerAgent;
import org.sentryml.testkit.ChildJvm;
import org.sentryml.testkit.TestTags;
import org.sentryml.training.checkpoint.FaultPoints;

/**
 * The trainer is killed with SIGKILL ({@code Process.destroyForcibly}) at five points chosen at
 * random per run — in a step, halfway through writing a checkpoint, between the checkpoint's rename
 * and {@code LATEST}, during the epoch's dataset check, and at a random moment — each time resumed
 * with {@code --resume}; the final model root equals that of an uninterrupted run with the same
 * seed, bit for bit, and the signatures verify. Each trainer is a JVM of its own, so the kill is a
 * real one.
 */
@Tag(TestTags.E2E)
@Tag(TestTags.SLOW)
class CrashResumeEndToEndTest {
  private static final Pattern ROOT = Pattern.compile("model root sha256:([0-9a-f]{64})");
  @TempDir static Path prepared;

  @BeforeAll
  static void prepare() throws Exception {
    Path mirror = Pipeline.tinyMirror(prepared);
    Pipeline.Run made =
        Pipeline.dataset(
            "sentryml/mnist-tiny",
            "3",
            "0.8",
            prepared.resolve("dataset/mnist-tiny").toString(),
            "--hub-mirror",
            mirror.toString(),
            "--cache-dir",
            prepared.resolve("hf-cache").toString(),
            "--quiet");
    assertEquals(0, made.exitCode(), made.all());
    assertEquals(0, Pipeline.keygen(prepared.resolve("keys")).exitCode());
  }

  private static List<String> args(String name, boolean resume) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--sig_out",
            prepared.resolve(name + "/signatures").toString(),
            "--model_path",
            prepared.resolve(name + "/model").toString(),
            "--dataset",
            prepared.resolve("dataset/mnist-tiny").toString(),
            "--epochs",
            "3",
            "--batch",
            "64",
            "--seed",
            "7",
            "--train-threads",
            "1",
            "--checkpoint-every",
            "4"));
    if (resume) {
      args.add("--resume");
    }
    args.addAll(
        List.of("private-key", "--private_key", prepared.resolve("keys/private.pem").toString()));
    return args;
  }

  /**
   * Runs the trainer in a new JVM; with a pause point, kills it (SIGKILL) once it reports reaching
   * it, and with {@code killAfterMillis} above 0 kills it then, wherever it is.
   */
  private static ChildJvm.Result trainer(List<String> args, String pauseAt, long killAfterMillis)
      throws Exception {
    List<String> options =
        new ArrayList<>(
            List.of("-Xmx768m", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"));
    if (!pauseAt.isEmpty()) {
      options.add("-D" + FaultPoints.PROPERTY + "=" + pauseAt);
    }
    ChildJvm child =
        ChildJvm.of(
                System.getProperty("java.class.path"), options, TrainerAgent.class.getName(), args)
            .environment("PYTORCH_FLAVOR", "cpu")
            .killAtLine("sentry-fault-point ");
    if (killAfterMillis > 0) {
      // Training (or its restore) has begun: kill wherever it is a random moment later.
      child.killAfterLine("training ", killAfterMillis);
    }
    return child.run(240);
  }

  private static String root(ChildJvm.Result child) {
    Matcher m = ROOT.matcher(child.out());
    assertTrue(m.find(), child.out() + child.err());
    return m.group(1);
  }

  @Test
  void killedFiveTimesAtRandomPointsAndResumedTheModelIsBitIdenticalAndVerifies() throws Exception {
    ChildJvm.Result whole = trainer(args("whole", false), "", 0);
    assertEquals(0, whole.exit(), whole.err());
    String expected = root(whole);

    long seed = new Random().nextLong();
    Random random = new Random(seed);
    // 3 epochs of 15 steps, a checkpoint every 4: in this order each point is reached, at a step
    // drawn at random, before the run could finish (a kill loses the steps since the last one).
    List<String> points =
        List.of(
            FaultPoints.MID_BATCH + ":" + (1 + random.nextInt(8)),
            FaultPoints.MID_CHECKPOINT + ":" + (1 + random.nextInt(2)),
            FaultPoints.BEFORE_LATEST + ":" + (1 + random.nextInt(2)),
            FaultPoints.DATASET_CHECK + ":1",
            // The resumed run starts at step 12 or later of 45, so a batch of its first four is
            // always reached: five kills at chosen points, then one at a random moment, which a
            // run on a fast machine may outrun.
            FaultPoints.MID_BATCH + ":" + (1 + random.nextInt(4)),
            "random-time");
    String context = "random seed " + seed + ", points " + points;
    ChildJvm.Result last = null;
    int kills = 0;
    boolean first = true;
    for (String point : points) {
      boolean timed = point.equals("random-time");
      last =
          trainer(
              args("crashed", !first), timed ? "" : point, timed ? 1500 + random.nextInt(6000) : 0);
      first = false;
      if (!last.killed()) {
        break; // the run finished before its point came: that run is the final one
      }
      kills++;
      assertFalse(Files.exists(prepared.resolve("crashed/signatures/model.sig")), context);
    }
    if (last.killed()) {
      last = trainer(args("crashed", true), "", 0);
      assertTrue(last.err().contains("resuming run"), last.err());
    }
    context += ", kills " + kills;
    assertTrue(kills >= 5, context);
    assertEquals(0, last.exit(), context + "\n" + last.err());
    assertEquals(expected, root(last), context);
    assertFalse(Files.exists(prepared.resolve("crashed/model.checkpoints")), context);

    Pipeline.Run verified =
        Pipeline.inferencer(
            "--sig_path",
            prepared.resolve("crashed/signatures").toString(),
            "--model_path",
            prepared.resolve("crashed/model").toString(),
            "--dataset",
            prepared.resolve("dataset/mnist-tiny").toString(),
            "--quiet",
            "private-key",
            "--public_key",
            prepared.resolve("keys/public.pem").toString());
    assertEquals(0, verified.exitCode(), verified.all());

    // A third party re-trains from what the provenance records and gets the same root.
    ChildJvm.Result reproduced =
        trainer(
            List.of(
                "--reproduce",
                prepared.resolve("crashed/signatures/provenance.sig").toString(),
                "--dataset",
                prepared.resolve("dataset/mnist-tiny").toString(),
                "--key",
                prepared.resolve("keys/public.pem").toString()),
            "",
            0);
    assertEquals(0, reproduced.exit(), reproduced.err());
    assertTrue(
        reproduced.out().contains("reproduced: model root sha256:" + expected), reproduced.out());
  }
}
