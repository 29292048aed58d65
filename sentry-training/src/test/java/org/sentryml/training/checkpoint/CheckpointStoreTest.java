package org.sentryml.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.data.dataset.LoaderCursor;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.testkit.TestFiles;
import org.sentryml.training.ml.ClassifierSession;

class CheckpointStoreTest {
  @TempDir Path dir;

  static CheckpointState state(String runId, long step) {
    SourceLattices lattices = new SourceLattices();
    LtHash16 sum = new LtHash16();
    byte[] element = new byte[LtHash16.CHECKSUM_BYTES];
    element[3] = (byte) step;
    sum.addExpansion(element);
    lattices.addSum("source-0", "train", sum, step);
    JsonObject progress = new JsonObject();
    progress.addProperty("note", "step " + step);
    return new CheckpointState(
        runId,
        step,
        1,
        new LoaderCursor(
            step,
            List.of(2),
            List.of(new LoaderCursor.Shard(0, 10 + step)),
            List.of(new LoaderCursor.Member(0, 3), new LoaderCursor.Member(1, 7))),
        lattices,
        progress,
        42,
        1,
        Map.of("engine", "test"),
        new ClassifierSession.Snapshot(
            ("parameters " + step).getBytes(StandardCharsets.UTF_8),
            ("optimizer " + step).getBytes(StandardCharsets.UTF_8),
            step));
  }

  private CheckpointStore fresh(Path folder, CheckpointLedger ledger) {
    return CheckpointStore.create(folder, CheckpointKeys.runKey(), 3, ledger);
  }

  private static CheckpointStore reopen(Path folder, CheckpointLedger ledger) {
    return CheckpointStore.open(folder, CheckpointKeys.runKey(), 3, ledger);
  }

  @Test
  void theNewestCheckpointRoundTripsEveryField() {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    store.write(state(store.runId(), 5));
    store.write(state(store.runId(), 10));
    CheckpointState loaded = reopen(dir.resolve("ck"), null).newest(m -> {}).orElseThrow().state();
    CheckpointState expected = state(store.runId(), 10);
    assertEquals(10, loaded.step());
    assertEquals(expected.cursor(), loaded.cursor());
    assertEquals(expected.progress(), loaded.progress());
    assertArrayEquals(expected.training().parameters(), loaded.training().parameters());
    assertArrayEquals(expected.training().optimizer(), loaded.training().optimizer());
    assertEquals(10, loaded.training().steps());
    assertTrue(
        expected
            .lattices()
            .bySource()
            .get("source-0")
            .get("train")
            .lattice()
            .sameAs(loaded.lattices().bySource().get("source-0").get("train").lattice()));
    assertEquals(42, loaded.seed());
  }

  @Test
  void onlyTheNewestThreeAreKept() throws IOException {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    for (long step = 1; step <= 5; step++) {
      store.write(state(store.runId(), step));
    }
    assertEquals(
        List.of("step-000000000003", "step-000000000004", "step-000000000005"), steps("ck"));
    assertEquals(
        "step-000000000005",
        Files.readString(dir.resolve("ck/LATEST"), StandardCharsets.UTF_8).strip());
  }

  @Test
  void aDamagedNewestCheckpointFallsBackToThePreviousOneAndSaysSo() throws IOException {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    store.write(state(store.runId(), 5));
    store.write(state(store.runId(), 10));
    flipByte(dir.resolve("ck/step-000000000010/parameters.bin"));
    List<String> messages = new ArrayList<>();
    CheckpointStore.Loaded loaded =
        reopen(dir.resolve("ck"), null).newest(messages::add).orElseThrow();
    assertEquals(5, loaded.state().step());
    assertTrue(
        messages.stream()
            .anyMatch(
                m -> m.contains("step-000000000010 is damaged") && m.contains("parameters.bin")),
        messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.contains("falling back to step-000000000005")));
  }

  @Test
  void aCheckpointOfAnotherRunIsRefusedWithTheReason() throws IOException {
    CheckpointStore mine = fresh(dir.resolve("mine"), null);
    mine.write(state(mine.runId(), 5));
    CheckpointStore other = fresh(dir.resolve("other"), null);
    other.write(state(other.runId(), 10));
    TestFiles.copyTree(
        dir.resolve("other/step-000000000010"), dir.resolve("mine/step-000000000010"));
    Files.writeString(dir.resolve("mine/LATEST"), "step-000000000010\n", StandardCharsets.UTF_8);
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () -> reopen(dir.resolve("mine"), null).newest(m -> {}));
    assertTrue(e.getMessage().contains("belongs to run " + other.runId()), e.getMessage());
  }

  @Test
  void anOlderStepRenamedAsNewerDoesNotAuthenticate() throws IOException {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    store.write(state(store.runId(), 5));
    Files.move(dir.resolve("ck/step-000000000005"), dir.resolve("ck/step-000000000009"));
    Files.writeString(dir.resolve("ck/LATEST"), "step-000000000009\n", StandardCharsets.UTF_8);
    List<String> messages = new ArrayList<>();
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () -> reopen(dir.resolve("ck"), null).newest(messages::add));
    assertTrue(e.getMessage().contains("does not authenticate as step 9"), e.getMessage());
  }

  @Test
  void aRolledBackFolderIsRefusedWhenALedgerRecordsANewerCheckpoint() throws IOException {
    FileCheckpointLedger ledger = new FileCheckpointLedger(dir.resolve("ledger.json"));
    CheckpointStore store = fresh(dir.resolve("ck"), ledger);
    store.write(state(store.runId(), 5));
    TestFiles.copyTree(dir.resolve("ck"), dir.resolve("backup"));
    store.write(state(store.runId(), 10));
    TestFiles.deleteTree(dir.resolve("ck"));
    TestFiles.copyTree(dir.resolve("backup"), dir.resolve("ck"));
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () -> reopen(dir.resolve("ck"), ledger).newest(m -> {}));
    assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
    // Without the ledger the same folder resumes from step 5: the ledger is what refuses it.
    assertEquals(5, reopen(dir.resolve("ck"), null).newest(m -> {}).orElseThrow().state().step());
  }

  @Test
  void aKeyServerLedgerThatCannotBeReachedOnResumeFailsClosed() {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    store.write(state(store.runId(), 5));
    CheckpointRecorder down =
        new CheckpointRecorder() {
          @Override
          public void recordCheckpoint(String runId, CheckpointRecord record) {
            throw new IoFailureException("connection refused");
          }

          @Override
          public Optional<CheckpointRecord> latestCheckpoint(String runId) {
            throw new IoFailureException("connection refused");
          }

          @Override
          public void finishCheckpoints(String runId) {}

          @Override
          public String describe() {
            return "key server https://keys.example";
          }
        };
    IoFailureException e =
        assertThrows(
            IoFailureException.class,
            () -> reopen(dir.resolve("ck"), new KeyServerCheckpointLedger(down)).newest(m -> {}));
    assertTrue(e.getMessage().contains("without the rollback check"), e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
  }

  @Test
  void aCheckpointRenamedIntoPlaceButNotCommittedByLatestIsIgnored() throws IOException {
    CheckpointStore store = fresh(dir.resolve("ck"), null);
    store.write(state(store.runId(), 5));
    store.write(state(store.runId(), 10));
    Files.writeString(dir.resolve("ck/LATEST"), "step-000000000005\n", StandardCharsets.UTF_8);
    assertEquals(5, reopen(dir.resolve("ck"), null).newest(m -> {}).orElseThrow().state().step());
  }

  @Test
  void aNewRunReplacesAnUnfinishedOneSayingSoAndFinishDeletesTheFolder() throws IOException {
    CheckpointStore old = fresh(dir.resolve("ck"), null);
    old.write(state(old.runId(), 5));
    List<String> messages = new ArrayList<>();
    CheckpointStore store =
        CheckpointStore.create(dir.resolve("ck"), CheckpointKeys.runKey(), 3, null, messages::add);
    assertTrue(messages.get(0).contains("discarding the checkpoints of an unfinished run"));
    assertEquals(List.of(), steps("ck"));
    store.finish(m -> {});
    assertFalse(Files.exists(dir.resolve("ck")));
  }

  @Test
  void aFolderHoldingForeignFilesIsNotUsed() throws IOException {
    Files.createDirectories(dir.resolve("ck"));
    Files.writeString(dir.resolve("ck/notes.txt"), "mine", StandardCharsets.UTF_8);
    assertThrows(UsageException.class, () -> fresh(dir.resolve("ck"), null));
    assertTrue(Files.exists(dir.resolve("ck/notes.txt")));
  }

  @Test
  void sealedFilesAreBoundToRunStepAndName() {
    CheckpointSealer sealer = CheckpointKeys.runKey().sealer(dir, "ab".repeat(16), true);
    byte[] sealed = sealer.seal(7, "state.json", new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, sealer.open(7, "state.json", sealed));
    assertThrows(VerificationFailedException.class, () -> sealer.open(8, "state.json", sealed));
    assertThrows(VerificationFailedException.class, () -> sealer.open(7, "optimizer.bin", sealed));
  }

  private List<String> steps(String folder) throws IOException {
    try (Stream<Path> entries = Files.list(dir.resolve(folder))) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("step-"))
          .sorted()
          .toList();
    }
  }

  private static void flipByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
  }
}
