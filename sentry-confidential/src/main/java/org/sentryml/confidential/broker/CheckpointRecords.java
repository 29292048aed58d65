package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;
import org.sentryml.core.json.StrictJson;

/**
 * The key server's checkpoint records (docs/FORMAT.md, "Checkpoint records"): per run id, the last
 * committed checkpoint and the client certificate that records the run, in one JSON file ({@code
 * {"format":F,"runs":{RUN:{"step":"N","sha256":HEX,"client":FINGERPRINT,"subject":DN}}}}) replaced
 * atomically and durably (written to a temporary file, fsynced, renamed, the folder fsynced) on
 * every change, before the change is visible: a server killed at any point restarts with the state
 * before or after the change, never a torn one. Decisions are {@link BrokerService}'s; this class
 * only keeps state. Thread-safe.
 */
public final class CheckpointRecords {
  /** The {@code format} member of the file. */
  public static final String FORMAT = "https://sentryml.org/keyserver-checkpoints/v1";

  /** Runs recorded at once: each finished run is forgotten, so this is a bound on live runs. */
  public static final int MAX_RUNS = 16_384;

  private static final Set<String> TOP = Set.of("format", "runs");
  private static final Set<String> RUN = Set.of("step", "sha256", "client", "subject");

  /** A run's last record and who records the run. */
  record Owned(CheckpointRecord record, String fingerprint, String subject) {
    Owned {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(subject, "subject");
    }
  }

  private final Path file;
  private final Map<String, Owned> runs;

  private CheckpointRecords(Path file, Map<String, Owned> runs) {
    this.file = file;
    this.runs = runs;
  }

  /**
   * Opens the records in {@code file}, empty when it does not exist yet (it is written on the first
   * record).
   *
   * @throws MalformedInputException naming the file and member when it is not such a file
   */
  public static CheckpointRecords open(Path file) {
    Map<String, Owned> runs = new LinkedHashMap<>();
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      JsonObject json =
          StrictJson.parseObject(
              BoundedFiles.read(file, JsonFile.MAX_BYTES, "checkpoint records"), file.toString());
      Messages.onlyMembers(json, file.toString(), TOP);
      JsonFields top = new JsonFields(json, "", file.toString());
      if (!FORMAT.equals(top.string("format"))) {
        throw top.error("format", "must be " + FORMAT);
      }
      JsonFields runsFields = top.object("runs");
      for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject("runs").entrySet()) {
        String run = entry.getKey();
        if (!CheckpointRecord.isRunId(run)) {
          throw runsFields.error(run, "is not a run id (" + CheckpointRecord.RUN_ID_SYNTAX + ")");
        }
        JsonFields fields = runsFields.object(run);
        JsonObject member = entry.getValue().getAsJsonObject();
        Messages.onlyMembers(member, file + " " + fields.path(), RUN);
        JsonObject record = new JsonObject();
        record.add("step", member.get("step"));
        record.add("sha256", member.get("sha256"));
        runs.put(
            run,
            new Owned(
                CheckpointRecord.of(record, file + " " + fields.path()),
                fields.string("client"),
                fields.string("subject")));
      }
    }
    return new CheckpointRecords(file, runs);
  }

  /** The file the records are kept in. */
  public Path file() {
    return file;
  }

  synchronized Optional<Owned> get(String run) {
    return Optional.ofNullable(runs.get(run));
  }

  synchronized int size() {
    return runs.size();
  }

  /** Sets {@code run}'s record; durable once it returns, unchanged when it throws. */
  synchronized void put(String run, Owned owned) {
    Map<String, Owned> next = new LinkedHashMap<>(runs);
    next.put(run, owned);
    write(next);
    runs.put(run, owned);
  }

  /** Forgets {@code run}; durable once it returns, unchanged when it throws. */
  synchronized void remove(String run) {
    Map<String, Owned> next = new LinkedHashMap<>(runs);
    if (next.remove(run) == null) {
      return;
    }
    write(next);
    runs.remove(run);
  }

  private void write(Map<String, Owned> state) {
    JsonObject all = new JsonObject();
    for (Map.Entry<String, Owned> entry : state.entrySet()) {
      JsonObject run = entry.getValue().record().toJson();
      run.addProperty("client", entry.getValue().fingerprint());
      run.addProperty("subject", entry.getValue().subject());
      all.add(entry.getKey(), run);
    }
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("runs", all);
    try (AtomicFile out = AtomicFile.create(file, AtomicFile.OWNER_ONLY)) {
      out.stream().write(JsonFile.bytes(json));
      out.commit();
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }
}
