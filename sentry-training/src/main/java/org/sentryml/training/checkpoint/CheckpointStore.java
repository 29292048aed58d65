package org.sentryml.training.checkpoint;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;

/**
 * A run's checkpoint folder (docs/FORMAT.md, "Training checkpoints"):
 *
 * <pre>
 * run.json                 the run id and where its key is
 * run-key.json             the run's key, when no data key is used (owner-only)
 * LATEST                   the name of the newest committed checkpoint
 * step-000000000200/       one checkpoint: checkpoint.json (clear: run id, step), state.json,
 *                          parameters.bin, optimizer.bin (each sealed)
 * .staging-000000000400/   a checkpoint being written (removed when found stale)
 * </pre>
 *
 * <p>A checkpoint is written into a staging folder, each file fsynced, the folder fsynced, renamed
 * to its final name, the parent fsynced, and then {@code LATEST} replaced atomically (and durably):
 * a crash at any point leaves the previous checkpoint committed. Then the ledger records it and
 * checkpoints beyond the newest {@code keep} are deleted. Not thread-safe.
 */
public final class CheckpointStore {
  public static final String RUN = "run.json";
  public static final String LATEST = "LATEST";
  static final String RUN_FORMAT = "https://sentryml.org/checkpoint-run/v1";
  static final String HEADER = "checkpoint.json";
  static final String HEADER_FORMAT = "https://sentryml.org/checkpoint-header/v1";
  static final String PARAMETERS = "parameters.bin";
  static final String OPTIMIZER = "optimizer.bin";
  private static final String PREFIX = "step-";
  private static final String STAGING = ".staging-";
  private static final long MAX_FILE = 8L << 30;

  private final Path dir;
  private final CheckpointSealer sealer;
  private final int keep;
  private final @Nullable CheckpointLedger ledger;

  /** A checkpoint that verified, with what was said about newer ones that did not. */
  public record Loaded(CheckpointState state, String name) {}

  private CheckpointStore(
      Path dir, CheckpointSealer sealer, int keep, @Nullable CheckpointLedger ledger) {
    this.dir = dir;
    this.sealer = sealer;
    this.keep = keep;
    this.ledger = ledger;
  }

  /**
   * Starts the checkpoints of a new run in {@code dir}. The checkpoints of an unfinished run there
   * (one that failed or was killed, and is not being resumed) are deleted first, and {@code log}
   * says so.
   *
   * @throws UsageException when {@code dir} holds files a checkpoint store did not write
   */
  public static CheckpointStore create(
      Path dir, CheckpointKeys keys, int keep, @Nullable CheckpointLedger ledger) {
    return create(dir, keys, keep, ledger, message -> {});
  }

  /** As above, reporting a replaced unfinished run through {@code log}. */
  public static CheckpointStore create(
      Path dir,
      CheckpointKeys keys,
      int keep,
      @Nullable CheckpointLedger ledger,
      Consumer<String> log) {
    if (keep < 1) {
      throw new UsageException("--checkpoint-keep must be at least 1, not " + keep);
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String runId = HexFormat.of().formatHex(random);
    if (ledger != null) {
      // A ledger that refuses this client (or cannot be reached) fails the run now, before the
      // folder is touched, not at its first checkpoint.
      ledger.latest(runId);
    }
    discardUnfinished(dir, log);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(dir, e);
    }
    CheckpointSealer sealer = keys.sealer(dir, runId, true);
    JsonObject run = new JsonObject();
    run.addProperty("format", RUN_FORMAT);
    run.addProperty("run_id", runId);
    run.addProperty("key", keys.describe());
    JsonFile.write(dir.resolve(RUN), run);
    Durable.syncFolder(dir);
    return new CheckpointStore(dir, sealer, keep, ledger);
  }

  /** Deletes what a store wrote in {@code dir}, refusing a folder that holds anything else. */
  private static void discardUnfinished(Path dir, Consumer<String> log) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new UsageException("--checkpoint-dir " + dir + " exists and is not a folder");
      }
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> ours = new ArrayList<>();
      for (Path p : entries.sorted().toList()) {
        String name = p.getFileName().toString();
        boolean known =
            name.equals(RUN)
                || name.equals(LATEST)
                || name.equals(CheckpointKeys.RUN_KEY)
                || name.startsWith(STAGING)
                || name.startsWith("." + LATEST + ".")
                || parse(name).isPresent();
        if (!known) {
          throw new UsageException(
              "refusing to use --checkpoint-dir "
                  + dir
                  + ": it holds "
                  + name
                  + ", which sentry-trainer did not write");
        }
        ours.add(p);
      }
      if (ours.stream().anyMatch(p -> p.getFileName().toString().equals(RUN))) {
        log.accept(
            "discarding the checkpoints of an unfinished run in "
                + dir
                + " (pass --resume to continue it instead)");
      }
      for (Path p : ours) {
        deleteTree(p);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(dir, e);
    }
  }

  /** Opens the checkpoints of the unfinished run in {@code dir}, to resume it. */
  public static CheckpointStore open(
      Path dir, CheckpointKeys keys, int keep, @Nullable CheckpointLedger ledger) {
    if (!Files.isRegularFile(dir.resolve(RUN), LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "--resume: " + dir + " holds no unfinished run (no " + RUN + "); nothing to resume");
    }
    JsonFields run = JsonFile.read(dir.resolve(RUN), RUN_FORMAT);
    String runId = run.string("run_id");
    if (!runId.matches("[0-9a-f]{32}")) {
      throw run.error("run_id", "must be 32 hex digits");
    }
    return new CheckpointStore(dir, keys.sealer(dir, runId, false), keep, ledger);
  }

  public String runId() {
    return sealer.runId();
  }

  public Path dir() {
    return dir;
  }

  /** Commits {@code state} as the newest checkpoint, as the class comment describes. */
  public void write(CheckpointState state) {
    commit(encode(state));
  }

  /**
   * A checkpoint's files in clear, taken from a state at one moment: what {@link #commit} seals and
   * writes while the live objects the state came from move on.
   */
  // The arrays are handed over once and never compared: a record's array equality does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  public record Encoded(long step, byte[] state, byte[] parameters, byte[] optimizer) {}

  /** Encodes {@code state} for {@link #commit}; cheap next to sealing and syncing it. */
  public Encoded encode(CheckpointState state) {
    if (!state.runId().equals(runId())) {
      throw new IllegalArgumentException("a state of run " + state.runId() + " in " + runId());
    }
    return new Encoded(
        state.step(),
        StateCodec.encode(state),
        state.training().parameters(),
        state.training().optimizer());
  }

  /** Commits an encoded state as the newest checkpoint, as the class comment describes. */
  public void commit(Encoded state) {
    String name = name(state.step());
    Path staging = dir.resolve(STAGING + name.substring(PREFIX.length()));
    Path target = dir.resolve(name);
    try {
      deleteTree(staging);
      Files.createDirectory(staging);
      JsonObject header = new JsonObject();
      header.addProperty("format", HEADER_FORMAT);
      header.addProperty("run_id", runId());
      header.addProperty("step", Long.toString(state.step()));
      Durable.writeNew(staging.resolve(HEADER), (header + "\n").getBytes(StandardCharsets.UTF_8));
      List<byte[]> sealed = new ArrayList<>();
      sealed.add(writeSealed(staging, state.step(), StateCodec.FILE, state.state()));
      sealed.add(writeSealed(staging, state.step(), PARAMETERS, state.parameters()));
      FaultPoints.reach(FaultPoints.MID_CHECKPOINT);
      sealed.add(writeSealed(staging, state.step(), OPTIMIZER, state.optimizer()));
      Durable.syncFolder(staging);
      deleteTree(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      Durable.syncFolder(dir);
      FaultPoints.reach(FaultPoints.BEFORE_LATEST);
      AtomicFile.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
      Durable.syncFolder(dir);
      if (ledger != null) {
        ledger.record(runId(), state.step(), digest(sealed));
      }
      prune(state.step());
      FaultPoints.reach(FaultPoints.AFTER_COMMIT);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  /**
   * The newest committed checkpoint that verifies, falling back past damaged ones (each reported
   * through {@code log}); empty when there is none yet.
   *
   * @throws VerificationFailedException when a ledger shows the folder was rolled back, or a
   *     checkpoint names another run
   */
  public Optional<Loaded> newest(Consumer<String> log) {
    OptionalLong latest = latestStep(log);
    List<Long> steps = new ArrayList<>(steps());
    steps.sort(Comparator.reverseOrder());
    Optional<CheckpointLedger.Entry> recorded =
        ledger == null ? Optional.empty() : ledger.latest(runId());
    if (recorded.isPresent() && !steps.contains(recorded.get().step())) {
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "%s was rolled back: %s records checkpoint %s of run %s, which the folder no"
                  + " longer holds (newest there: %s); refusing to resume from an older state",
              dir,
              ledger.describe(),
              name(recorded.get().step()),
              runId(),
              steps.isEmpty() ? "none" : name(steps.get(0))));
    }
    String damaged = null;
    for (long step : steps) {
      if (latest.isPresent() && step > latest.getAsLong()) {
        continue; // renamed into place but never committed by LATEST
      }
      try {
        Loaded loaded = read(step, recorded);
        if (damaged != null) {
          log.accept(damaged + "; falling back to " + loaded.name());
        }
        return Optional.of(loaded);
      } catch (VerificationFailedException e) {
        if (e.getMessage().contains("belongs to run")) {
          throw e;
        }
        String message = "checkpoint " + name(step) + " is damaged: " + e.getMessage();
        log.accept(message);
        damaged = message;
      }
    }
    if (damaged != null) {
      throw new VerificationFailedException(
          "no checkpoint in " + dir + " verifies; the last one tried: " + damaged);
    }
    return Optional.empty();
  }

  /**
   * Deletes the folder: the run finished, its checkpoints are of no more use. The ledger is told to
   * forget the run; when it cannot be, {@code log} says so and the run still succeeds (a stale
   * record names a run id that never recurs).
   */
  public void finish(Consumer<String> log) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(dir, e);
    }
    if (ledger != null) {
      try {
        ledger.finish(runId());
      } catch (SentryException e) {
        log.accept(
            "warning: "
                + ledger.describe()
                + " did not forget run "
                + runId()
                + ": "
                + e.getMessage());
      }
    }
  }

  private Loaded read(long step, Optional<CheckpointLedger.Entry> recorded) {
    String name = name(step);
    Path folder = dir.resolve(name);
    checkHeader(folder);
    List<byte[]> sealed = new ArrayList<>();
    byte[] state = openSealed(folder, step, StateCodec.FILE, sealed);
    byte[] parameters = openSealed(folder, step, PARAMETERS, sealed);
    byte[] optimizer = openSealed(folder, step, OPTIMIZER, sealed);
    if (recorded.isPresent()
        && recorded.get().step() == step
        && !recorded.get().digest().matches(digest(sealed))) {
      throw new VerificationFailedException(
          name + " differs from the checkpoint the ledger recorded for step " + step);
    }
    CheckpointState decoded;
    try {
      decoded = StateCodec.decode(state, parameters, optimizer, name + "/" + StateCodec.FILE);
    } catch (RuntimeException e) {
      throw new VerificationFailedException(name + "/" + StateCodec.FILE + ": " + e.getMessage());
    }
    if (!decoded.runId().equals(runId()) || decoded.step() != step) {
      throw new VerificationFailedException(name + " does not hold step " + step + " of this run");
    }
    return new Loaded(decoded, name);
  }

  /**
   * The clear {@value #HEADER} names the run a checkpoint was written by, only so that a checkpoint
   * of another run is refused with that reason; its sealed files would not authenticate anyway.
   */
  private void checkHeader(Path folder) {
    String owner;
    try {
      owner = JsonFile.read(folder.resolve(HEADER), HEADER_FORMAT).string("run_id");
    } catch (SentryException e) {
      return; // a damaged header: the sealed files say whether the checkpoint is usable
    }
    if (!owner.equals(runId())) {
      throw new VerificationFailedException(
          folder.getFileName()
              + " belongs to run "
              + owner
              + ", not to run "
              + runId()
              + " that "
              + dir.resolve(RUN)
              + " names; refusing it");
    }
  }

  private byte[] writeSealed(Path folder, long step, String file, byte[] plaintext) {
    byte[] sealed = sealer.seal(step, file, plaintext);
    Durable.writeNew(folder.resolve(file), sealed);
    return sealed;
  }

  private byte[] openSealed(Path folder, long step, String file, List<byte[]> sealed) {
    Path path = folder.resolve(file);
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new VerificationFailedException(file + " is missing");
    }
    byte[] bytes = BoundedFiles.read(path, MAX_FILE, "checkpoint file");
    sealed.add(bytes);
    return sealer.open(step, file, bytes);
  }

  private OptionalLong latestStep(Consumer<String> log) {
    Path file = dir.resolve(LATEST);
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    String text =
        new String(BoundedFiles.read(file, 256, "LATEST"), StandardCharsets.UTF_8).strip();
    OptionalLong step = parse(text);
    if (step.isEmpty()) {
      log.accept(LATEST + " in " + dir + " is damaged; trying every checkpoint, newest first");
    }
    return step;
  }

  private void prune(long newest) throws IOException {
    List<Long> steps = new ArrayList<>(steps());
    steps.sort(Comparator.reverseOrder());
    for (int i = 0; i < steps.size(); i++) {
      if (i >= keep || steps.get(i) > newest) {
        deleteTree(dir.resolve(name(steps.get(i))));
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        if (p.getFileName().toString().startsWith(STAGING)) {
          deleteTree(p);
        }
      }
    }
  }

  private List<Long> steps() {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Long> steps = new ArrayList<>();
      for (Path p : entries.toList()) {
        parse(p.getFileName().toString())
            .ifPresent(
                s -> {
                  if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    steps.add(s);
                  }
                });
      }
      return steps;
    } catch (IOException e) {
      throw PathProblems.classify(dir, e);
    }
  }

  static String name(long step) {
    return String.format(Locale.ROOT, "%s%012d", PREFIX, step);
  }

  private static OptionalLong parse(String name) {
    if (!name.matches(PREFIX + "[0-9]{12}")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(name.substring(PREFIX.length())));
  }

  private static Digest digest(List<byte[]> sealed) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (byte[] file : sealed) {
        sha256.update(java.nio.ByteBuffer.allocate(8).putLong(file.length).array());
        sha256.update(file);
      }
      return new Digest("sha256", sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    } else {
      Files.delete(path);
    }
  }
}
