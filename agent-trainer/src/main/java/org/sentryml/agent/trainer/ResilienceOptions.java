package org.sentryml.agent.trainer;

import java.nio.file.Path;
import java.util.Optional;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.core.errors.UsageException;
import org.sentryml.training.checkpoint.CheckpointKeys;
import org.sentryml.training.checkpoint.CheckpointLedger;
import org.sentryml.training.checkpoint.FileCheckpointLedger;
import org.sentryml.training.checkpoint.KeyServerCheckpointLedger;
import org.sentryml.training.ml.EngineThreads;
import org.sentryml.training.pipeline.CheckpointOptions;
import picocli.CommandLine.Option;

/**
 * The trainer's thread count and checkpoint options. Where committed checkpoints are recorded, so
 * that {@code --resume} refuses a rolled-back folder: the key server, whenever the run uses one
 * ({@code --key-server}, or {@code --key-cache}, which forwards to its key server); else the {@code
 * --checkpoint-ledger} file; else nowhere. The two together are refused.
 */
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
              + " --resume refuses a rolled-back folder. With --key-server or --key-cache the key"
              + " server records them instead, and this option is refused.")
  Path ledger;

  @Option(
      names = "--resume",
      description =
          "Continue the unfinished run in the checkpoint folder from its newest checkpoint that"
              + " verifies (falling back to the one before when the newest is damaged).")
  boolean resume;

  /**
   * The options, with committed checkpoints recorded by {@code keyServer} (the key server or key
   * cache the run gets its keys from) when there is one, else in the {@code --checkpoint-ledger}
   * file when given, else nowhere.
   *
   * @throws UsageException for {@code --checkpoint-ledger} beside a key server (two places would
   *     claim to be the run's record, and the weaker one could be trusted by mistake) or without
   *     checkpoints
   */
  CheckpointOptions options(Optional<CheckpointRecorder> keyServer) {
    if (ledger != null && keyServer.isPresent()) {
      throw new UsageException(
          "--checkpoint-ledger and --key-server/--key-cache both say where checkpoints are"
              + " recorded: with a key server it records them; drop --checkpoint-ledger");
    }
    if (ledger != null && every == 0) {
      throw new UsageException(
          "--checkpoint-ledger needs checkpoints; --checkpoint-every 0 turns them off");
    }
    CheckpointLedger chosen =
        keyServer.isPresent()
            ? new KeyServerCheckpointLedger(keyServer.get())
            : ledger == null ? null : new FileCheckpointLedger(ledger);
    return new CheckpointOptions(
        threads == null ? EngineThreads.defaultCount() : threads,
        dir,
        every,
        keep,
        resume,
        CheckpointKeys.runKey(),
        every == 0 ? null : chosen);
  }
}
