package org.sentryml.core.dataset;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sentryml.core.attestation.JsonFields;
import org.sentryml.core.attestation.StrictJson;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.AtomicFile;

/**
 * The layout of a prepared dataset ({@code index.json}): which shard holds which source, and how
 * many samples of each split and label it holds. Loaders read it to interleave shards in
 * proportion; it carries no digests (those are in {@link DatasetManifest}).
 */
public record DatasetIndex(DatasetOrigin origin, SampleKind kind, int classes, List<IndexedSource> sources) {
  public static final String FILE = "index.json";
  public static final String FORMAT = "https://sentryml.org/dataset-index/v1";

  /** One source's shard and its sample counts by split and by label. */
  public record IndexedSource(String name, String shard, Map<String, Long> splits, Map<Integer, Long> labels) {
    public IndexedSource {
      splits = new TreeMap<>(splits);
      labels = new TreeMap<>(labels);
    }

    public long samples(String split) {
      return splits.getOrDefault(split, 0L);
    }
  }

  public DatasetIndex {
    sources = List.copyOf(sources);
  }

  /** Every split name, in name order. */
  public List<String> splits() {
    return sources.stream().flatMap(s -> s.splits().keySet().stream()).distinct().sorted().toList();
  }

  public void write(Path datasetDir) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("dataset", origin.toJson());
    json.addProperty("kind", kind.name().toLowerCase(Locale.ROOT));
    json.addProperty("classes", classes);
    JsonArray array = new JsonArray();
    for (IndexedSource source : sources) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", source.name());
      entry.addProperty("shard", source.shard());
      JsonObject splits = new JsonObject();
      source.splits().forEach(splits::addProperty);
      entry.add("splits", splits);
      JsonObject labels = new JsonObject();
      source.labels().forEach((label, count) -> labels.addProperty(Integer.toString(label), count));
      entry.add("labels", labels);
      array.add(entry);
    }
    json.add("sources", array);
    String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    AtomicFile.write(datasetDir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and validates {@code index.json} of a prepared dataset (BAD_INPUT naming the field). */
  public static DatasetIndex read(Path datasetDir) {
    Path file = datasetDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    JsonFields json = new JsonFields(StrictJson.parseObject(text, file.toString()), "", file.toString());
    if (!FORMAT.equals(json.string("format"))) {
      throw json.error("format", "must be " + FORMAT);
    }
    List<IndexedSource> sources = new ArrayList<>();
    JsonArray array = json.array("sources");
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = json.element("sources", array, i);
      String shard = entry.string("shard");
      if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
        throw entry.error("shard", "must be a file name inside the dataset folder, not " + shard);
      }
      Map<String, Long> splits = new TreeMap<>();
      JsonFields splitCounts = entry.object("splits");
      for (String split : entry.required("splits").getAsJsonObject().keySet()) {
        splits.put(split, splitCounts.int64(split));
      }
      Map<Integer, Long> labels = new TreeMap<>();
      JsonFields labelCounts = entry.object("labels");
      for (String label : entry.required("labels").getAsJsonObject().keySet()) {
        try {
          labels.put(Integer.parseInt(label), labelCounts.int64(label));
        } catch (NumberFormatException e) {
          throw labelCounts.error(label, "is not a class index");
        }
      }
      sources.add(new IndexedSource(entry.string("name"), shard, splits, labels));
    }
    return new DatasetIndex(DatasetOrigin.fromJson(json.object("dataset")), kindOf(json, "kind"), (int) json.int64("classes"), sources);
  }

  static SampleKind kindOf(JsonFields json, String field) {
    String value = json.string(field);
    for (SampleKind kind : SampleKind.values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
        return kind;
      }
    }
    throw json.error(field, "must be image or text, not " + value);
  }
}
