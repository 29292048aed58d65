package org.sentryml.training.checkpoint;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;
import org.sentryml.core.json.StrictJson;

/**
 * A {@link CheckpointLedger} in one JSON file, replaced atomically on every record: {@code
 * {"format":F,"runs":{RUN_ID:{"step":"N","sha256":HEX}}}}. It must live outside the checkpoint
 * folder (or a rollback of the folder would roll it back too), and gives freshness only against
 * someone who can roll back the folder and not the file: for tests and single hosts without a key
 * server ({@link KeyServerCheckpointLedger}).
 */
public final class FileCheckpointLedger implements CheckpointLedger {
  static final String FORMAT = "https://sentryml.org/checkpoint-ledger/v1";
  private final Path file;

  public FileCheckpointLedger(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void record(String runId, long step, Digest digest) {
    JsonObject runs = runs();
    JsonObject entry = new JsonObject();
    entry.addProperty("step", Long.toString(step));
    entry.addProperty("sha256", digest.hex());
    runs.add(runId, entry);
    write(runs);
  }

  @Override
  public synchronized Optional<Entry> latest(String runId) {
    JsonObject runs = runs();
    if (!runs.has(runId)) {
      return Optional.empty();
    }
    JsonFields entry =
        new JsonFields(runs.getAsJsonObject(runId), "runs." + runId, file.toString());
    return Optional.of(
        new Entry(entry.int64("step"), Digest.ofHex("sha256", entry.string("sha256"))));
  }

  @Override
  public synchronized void finish(String runId) {
    JsonObject runs = runs();
    if (runs.remove(runId) != null) {
      write(runs);
    }
  }

  @Override
  public String describe() {
    return "the ledger " + file;
  }

  private JsonObject runs() {
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    JsonFile.read(file, FORMAT).object("runs");
    JsonObject json =
        StrictJson.parseObject(
            BoundedFiles.read(file, JsonFile.MAX_BYTES, "ledger"), file.toString());
    return json.getAsJsonObject("runs").deepCopy();
  }

  private void write(JsonObject runs) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("runs", runs);
    JsonFile.write(file, json);
  }
}
