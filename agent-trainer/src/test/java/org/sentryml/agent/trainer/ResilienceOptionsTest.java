package org.sentryml.agent.trainer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.core.errors.UsageException;
import org.sentryml.training.checkpoint.FileCheckpointLedger;
import org.sentryml.training.checkpoint.KeyServerCheckpointLedger;
import picocli.CommandLine;

/** Which ledger records the checkpoints: the key server when there is one, else the file. */
class ResilienceOptionsTest {
  private static final CheckpointRecorder KEY_SERVER =
      new CheckpointRecorder() {
        @Override
        public void recordCheckpoint(String runId, CheckpointRecord record) {}

        @Override
        public Optional<CheckpointRecord> latestCheckpoint(String runId) {
          return Optional.empty();
        }

        @Override
        public void finishCheckpoints(String runId) {}

        @Override
        public String describe() {
          return "key server https://keys.example";
        }
      };

  private static ResilienceOptions parse(String... args) {
    ResilienceOptions options = new ResilienceOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void aKeyServerRecordsTheCheckpointsAndALedgerFileBesideItIsAUsageError() {
    assertInstanceOf(
        KeyServerCheckpointLedger.class, parse().options(Optional.of(KEY_SERVER)).ledger());
    assertInstanceOf(
        FileCheckpointLedger.class,
        parse("--checkpoint-ledger", "ledger.json").options(Optional.empty()).ledger());
    assertNull(parse().options(Optional.empty()).ledger());
    UsageException both =
        assertThrows(
            UsageException.class,
            () -> parse("--checkpoint-ledger", "ledger.json").options(Optional.of(KEY_SERVER)));
    assertTrue(both.getMessage().contains("drop --checkpoint-ledger"), both.getMessage());
    assertThrows(
        UsageException.class,
        () ->
            parse("--checkpoint-ledger", Path.of("l.json").toString(), "--checkpoint-every", "0")
                .options(Optional.empty()));
    assertNull(parse("--checkpoint-every", "0").options(Optional.of(KEY_SERVER)).ledger());
  }
}
