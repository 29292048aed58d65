package org.sentryml.agent.trainer;

import java.nio.file.Path;
import org.sentryml.training.checkpoint.CheckpointKeys;
import org.sentryml.training.checkpoint.FileCheckpointLedger;
import org.sentryml.training.ml.EngineThreads;
import org.sentryml.training.pipeline.CheckpointOptions;
import picocli.CommandLine.Option;

/** The trainer's thread count and checkpoint options. */
final class ResilienceOptions {
  @Option(
      names = "--train-threads",
      paramLabel = "N",
      description =
          "Threads PyTorch trains with (default: one per processor); recorded in the"
              + " provenance, since the same count is needed to reproduce the model's bytes.")
  Integer threads;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Checkpoint folder (default: <model_path>.checkpoints, deleted when done).")
  Path dir;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "" + CheckpointOptions.DEFAULT_EVERY,
      description = "A checkpoint every N training steps; 0 for none (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(
      names = "--checkpoint-keep",
      paramLabel = "K",
      defaultValue = "" + CheckpointOptions.DEFAULT_KEEP,
      description = "Checkpoints kept, the newest (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(
      names = "--checkpoint-ledger",
      paramLabel = "FILE",
      description =
          "Record each committed checkpoint in FILE (outside the checkpoint folder), so that"
              + " --resume refuses a rolled-back folder.")
  Path ledger;

  @Option(
      names = "--resume",
      description =
          "Continue the unfinished run in the checkpoint folder from its newest checkpoint that"
              + " verifies (falling back to the one before when the newest is damaged).")
  boolean resume;

  CheckpointOptions options() {
    return new CheckpointOptions(
        threads == null ? EngineThreads.defaultCount() : threads,
        dir,
        every,
        keep,
        resume,
        CheckpointKeys.runKey(),
        ledger == null ? null : new FileCheckpointLedger(ledger));
  }
}
