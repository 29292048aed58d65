package org.sentryml.training.pipeline;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.UsageException;
import org.sentryml.training.checkpoint.CheckpointKeys;
import org.sentryml.training.checkpoint.CheckpointLedger;

/**
 * How a training run survives a crash and reproduces: the engine's thread count, and where and how
 * often checkpoints are written.
 *
 * @param threads the engine's thread count (recorded in the provenance)
 * @param dir the checkpoint folder; null for the default, {@code <model path>.checkpoints}
 * @param every a checkpoint every this many steps; 0 for none
 * @param keep checkpoints kept (the newest)
 * @param resume continue the unfinished run in {@code dir} instead of starting one
 * @param keys where the checkpoint key comes from
 * @param ledger where committed checkpoints are recorded; null for none
 */
public record CheckpointOptions(
    int threads,
    @Nullable Path dir,
    int every,
    int keep,
    boolean resume,
    CheckpointKeys keys,
    @Nullable CheckpointLedger ledger) {
  /** A checkpoint every this many steps unless asked otherwise. */
  public static final int DEFAULT_EVERY = 200;

  public static final int DEFAULT_KEEP = 3;

  public CheckpointOptions {
    if (every < 0) {
      throw new UsageException("--checkpoint-every must be 0 (off) or more, not " + every);
    }
    if (keep < 1) {
      throw new UsageException("--checkpoint-keep must be at least 1, not " + keep);
    }
    if (resume && every == 0) {
      throw new UsageException("--resume needs checkpoints; --checkpoint-every 0 turns them off");
    }
  }

  /** Checkpoints every {@link #DEFAULT_EVERY} steps, with a run key, no ledger. */
  public static CheckpointOptions defaults(int threads) {
    return new CheckpointOptions(
        threads, null, DEFAULT_EVERY, DEFAULT_KEEP, false, CheckpointKeys.runKey(), null);
  }

  /** These options with checkpoints sealed under {@code sealing} instead. */
  CheckpointOptions withKeys(CheckpointKeys sealing) {
    return new CheckpointOptions(threads, dir, every, keep, resume, sealing, ledger);
  }

  Path folderFor(Path modelDir) {
    if (dir != null) {
      return dir;
    }
    Path absolute = modelDir.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + ".checkpoints");
  }
}
