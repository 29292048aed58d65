package org.sentryml.training.checkpoint;

import java.util.Objects;
import java.util.Optional;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.hashing.Digest;

/**
 * A {@link CheckpointLedger} kept by the key server (DESIGN §10): each committed checkpoint's step
 * and digest recorded there, over the same attested session as the run's key fetches ({@link
 * org.sentryml.confidential.broker.KbsClient}) or through the local key cache ({@link
 * org.sentryml.confidential.broker.KeyCacheClient}), which forwards to its key server. The training
 * host's operator can restore an old checkpoint folder but not an old record: the server accepts
 * only newer steps and answers only the client certificate that recorded the run. It fails closed:
 * a recorder that cannot be reached is an error, never an empty answer, so a resume without the
 * check does not happen. Thread-safe.
 */
public final class KeyServerCheckpointLedger implements CheckpointLedger {
  private final CheckpointRecorder recorder;

  public KeyServerCheckpointLedger(CheckpointRecorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  @Override
  public void record(String runId, long step, Digest digest) {
    try {
      recorder.recordCheckpoint(runId, new CheckpointRecord(step, digest));
    } catch (IoFailureException | BackendUnavailableException e) {
      throw unreachable(e, "cannot record checkpoint step " + step + " of run " + runId);
    }
  }

  @Override
  public Optional<Entry> latest(String runId) {
    try {
      return recorder
          .latestCheckpoint(runId)
          .map(record -> new Entry(record.step(), record.digest()));
    } catch (IoFailureException | BackendUnavailableException e) {
      throw unreachable(
          e,
          "cannot check that the checkpoints of run "
              + runId
              + " are the newest recorded (refusing to go on without the rollback check)");
    }
  }

  @Override
  public void finish(String runId) {
    recorder.finishCheckpoints(runId);
  }

  @Override
  public String describe() {
    return "the " + recorder.describe();
  }

  /** The same kind of failure (and exit code), saying what it stopped. */
  private static RuntimeException unreachable(RuntimeException e, String what) {
    String message = what + ": " + e.getMessage();
    return e instanceof BackendUnavailableException
        ? new BackendUnavailableException(message, e)
        : new IoFailureException(message, e);
  }
}
