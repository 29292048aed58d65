package org.sentryml.confidential.broker;

import java.util.Optional;

/**
 * Where a training run's committed checkpoints are recorded off the training host, so that a
 * rolled-back checkpoint folder is refused on resume: the key server ({@link KbsClient}, attesting
 * first) or the key server behind a local key cache ({@link KeyCacheClient}). Implementations are
 * thread-safe.
 */
public interface CheckpointRecorder {
  /**
   * Records that {@code runId} committed {@code record}; repeating the last record is a no-op.
   *
   * @throws org.sentryml.core.errors.VerificationFailedException when refused: another client
   *     records the run, the policy does not grant it, or the step is not newer than the recorded
   *     one
   * @throws org.sentryml.core.errors.IoFailureException when the recorder cannot be reached
   */
  void recordCheckpoint(String runId, CheckpointRecord record);

  /** The last record of {@code runId}, if any; throws as {@link #recordCheckpoint} does. */
  Optional<CheckpointRecord> latestCheckpoint(String runId);

  /** Forgets {@code runId} (its training finished); nothing recorded is not an error. */
  void finishCheckpoints(String runId);

  /** Names the recorder in messages, e.g. {@code key server https://keys.example:8443}. */
  String describe();
}
