package org.sentryml.training.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.data.dataset.LoaderCursor;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.training.ml.ClassifierSession;

/**
 * {@code state.json} of a checkpoint: everything but the tensors (docs/FORMAT.md). 64-bit integers
 * are decimal strings. Stateless.
 */
final class StateCodec {
  static final String FILE = "state.json";
  static final String FORMAT = "https://sentryml.org/checkpoint-state/v1";

  private StateCodec() {}

  static byte[] encode(CheckpointState state) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("run_id", state.runId());
    json.addProperty("step", Long.toString(state.step()));
    json.addProperty("epoch", state.epoch());
    json.addProperty("seed", Long.toString(state.seed()));
    json.addProperty("threads", state.threads());
    json.addProperty("optimizer_steps", Long.toString(state.training().steps()));
    JsonObject versions = new JsonObject();
    new TreeMap<>(state.versions()).forEach(versions::addProperty);
    json.add("versions", versions);
    json.add("cursor", cursor(state.cursor()));
    JsonArray lattices = new JsonArray();
    state
        .lattices()
        .bySource()
        .forEach(
            (source, splits) ->
                splits.forEach(
                    (split, lattice) -> {
                      JsonObject entry = new JsonObject();
                      entry.addProperty("source", source);
                      entry.addProperty("split", split);
                      entry.addProperty("samples", Long.toString(lattice.samples()));
                      entry.addProperty(
                          "checksum",
                          Base64.getEncoder().encodeToString(lattice.lattice().checksum()));
                      lattices.add(entry);
                    }));
    json.add("lattices", lattices);
    json.add("progress", state.progress());
    return (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json)
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The state, with the tensors read separately. */
  static CheckpointState decode(byte[] bytes, byte[] parameters, byte[] optimizer, String what) {
    JsonObject object = StrictJson.parseObject(bytes, what);
    JsonFields json = new JsonFields(object, "", what);
    if (!FORMAT.equals(json.string("format"))) {
      throw json.error("format", "must be " + FORMAT);
    }
    Map<String, String> versions = new TreeMap<>();
    object
        .getAsJsonObject("versions")
        .entrySet()
        .forEach(e -> versions.put(e.getKey(), e.getValue().getAsString()));
    SourceLattices lattices = new SourceLattices();
    JsonArray entries = json.array("lattices");
    for (int i = 0; i < entries.size(); i++) {
      JsonFields entry = json.element("lattices", entries, i);
      lattices.addSum(
          entry.string("source"),
          entry.string("split"),
          LtHash16.fromChecksum(entry.base64("checksum")),
          entry.int64("samples"));
    }
    return new CheckpointState(
        json.string("run_id"),
        json.int64("step"),
        (int) json.int64("epoch"),
        cursor(json.object("cursor")),
        lattices,
        object.getAsJsonObject("progress"),
        json.int64("seed"),
        (int) json.int64("threads"),
        versions,
        new ClassifierSession.Snapshot(parameters, optimizer, json.int64("optimizer_steps")));
  }

  private static JsonObject cursor(LoaderCursor cursor) {
    JsonObject json = new JsonObject();
    json.addProperty("batches", Long.toString(cursor.batches()));
    JsonArray waiting = new JsonArray();
    cursor.waiting().forEach(waiting::add);
    json.add("waiting", waiting);
    JsonArray open = new JsonArray();
    for (LoaderCursor.Shard shard : cursor.open()) {
      JsonArray pair = new JsonArray();
      pair.add(shard.shard());
      pair.add(Long.toString(shard.read()));
      open.add(pair);
    }
    json.add("open", open);
    JsonArray buffer = new JsonArray();
    for (LoaderCursor.Member member : cursor.buffer()) {
      JsonArray pair = new JsonArray();
      pair.add(member.shard());
      pair.add(Long.toString(member.position()));
      buffer.add(pair);
    }
    json.add("buffer", buffer);
    return json;
  }

  private static LoaderCursor cursor(JsonFields json) {
    List<Integer> waiting = new ArrayList<>();
    json.array("waiting").forEach(e -> waiting.add(e.getAsInt()));
    List<LoaderCursor.Shard> open = new ArrayList<>();
    json.array("open")
        .forEach(
            e ->
                open.add(
                    new LoaderCursor.Shard(
                        e.getAsJsonArray().get(0).getAsInt(),
                        Long.parseLong(e.getAsJsonArray().get(1).getAsString()))));
    List<LoaderCursor.Member> buffer = new ArrayList<>();
    json.array("buffer")
        .forEach(
            e ->
                buffer.add(
                    new LoaderCursor.Member(
                        e.getAsJsonArray().get(0).getAsInt(),
                        Long.parseLong(e.getAsJsonArray().get(1).getAsString()))));
    return new LoaderCursor(json.int64("batches"), waiting, open, buffer);
  }
}
