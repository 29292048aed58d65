package org.sentryml.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.tree.LtHash16;

class BackgroundCheckpointsTest {
  @TempDir Path dir;

  @Test
  void aCheckpointHoldsTheStateAsItWasWhenWrittenThoughTrainingMovedOn() {
    CheckpointStore store = CheckpointStore.create(dir, CheckpointKeys.runKey(), 3, null);
    CheckpointState five = CheckpointStoreTest.state(store.runId(), 5);
    try (BackgroundCheckpoints checkpoints = new BackgroundCheckpoints(store)) {
      checkpoints.write(five);
      // Training goes on: the live lattices the state refers to grow while the commit runs.
      five.lattices().addSum("source-0", "train", new LtHash16(), 1000);
    }
    CheckpointState committed =
        CheckpointStore.open(dir, CheckpointKeys.runKey(), 3, null)
            .newest(line -> {})
            .orElseThrow()
            .state();
    assertEquals(5, committed.step());
    assertEquals(5, committed.lattices().bySource().get("source-0").get("train").samples());
  }

  @Test
  void closeWaitsForTheLastCommitSoTheNewestIsTheLastWritten() {
    CheckpointStore store = CheckpointStore.create(dir, CheckpointKeys.runKey(), 3, null);
    try (BackgroundCheckpoints checkpoints = new BackgroundCheckpoints(store)) {
      for (long step = 5; step <= 20; step += 5) {
        checkpoints.write(CheckpointStoreTest.state(store.runId(), step));
      }
    }
    assertEquals(
        20,
        CheckpointStore.open(dir, CheckpointKeys.runKey(), 3, null)
            .newest(line -> {})
            .orElseThrow()
            .state()
            .step());
  }

  @Test
  void aCommitThatFailedInTheBackgroundStopsTheTrainerAtItsNextCheckpoint() {
    IoFailureException refused = new IoFailureException("ledger unreachable");
    CheckpointLedger failing =
        new CheckpointLedger() {
          @Override
          public void record(String runId, long step, Digest digest) {
            throw refused;
          }

          @Override
          public Optional<Entry> latest(String runId) {
            return Optional.empty();
          }

          @Override
          public void finish(String runId) {}
        };
    CheckpointStore store = CheckpointStore.create(dir, CheckpointKeys.runKey(), 3, failing);
    BackgroundCheckpoints checkpoints = new BackgroundCheckpoints(store);
    checkpoints.write(CheckpointStoreTest.state(store.runId(), 5));
    assertSame(
        refused,
        assertThrows(
            IoFailureException.class,
            () -> checkpoints.write(CheckpointStoreTest.state(store.runId(), 10))));
    checkpoints.close();
  }
}
