package org.sentryml.training.checkpoint;

import java.util.Optional;
import org.sentryml.core.hashing.Digest;

/**
 * Where a run's committed checkpoints are recorded outside the checkpoint folder, so that a folder
 * restored to an older state (a rollback) is refused on resume: freshness, which the folder cannot
 * give about itself. The key server will implement it (pending the key broker work); {@link
 * FileCheckpointLedger} is the local one. Implementations are thread-safe.
 */
public interface CheckpointLedger {
  /** A committed checkpoint: its step and the digest of its sealed files. */
  record Entry(long step, Digest digest) {}

  /** Records that {@code runId} committed the checkpoint of {@code step} with {@code digest}. */
  void record(String runId, long step, Digest digest);

  /** The last checkpoint recorded for {@code runId}, if any. */
  Optional<Entry> latest(String runId);

  /** Forgets {@code runId} (its training finished). */
  void finish(String runId);
}
