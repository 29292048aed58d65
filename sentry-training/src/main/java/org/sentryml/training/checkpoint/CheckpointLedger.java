package org.sentryml.training.checkpoint;

import java.util.Optional;
import org.sentryml.core.hashing.Digest;

/**
 * Where a run's committed checkpoints are recorded outside the checkpoint folder, so that a folder
 * restored to an older state (a rollback) is refused on resume: freshness, which the folder cannot
 * give about itself. {@link KeyServerCheckpointLedger} keeps it on the key server (where the
 * training host cannot roll it back), {@link FileCheckpointLedger} in a local file. Implementations
 * are thread-safe.
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

  /** Names the ledger in messages, e.g. {@code the ledger /var/lib/sentry/ledger.json}. */
  default String describe() {
    return "the ledger";
  }
}
