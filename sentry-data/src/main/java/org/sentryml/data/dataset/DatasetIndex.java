package org.sentryml.data.dataset;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;
import org.sentryml.core.json.Unsigned64;

/**
 * The layout of a prepared dataset ({@code index.json}): which shard holds which source, and how
 * many samples of each split and label it holds. Loaders read it to interleave shards in
 * proportion; it carries no digests (those are in {@link DatasetManifest}).
 */
public record DatasetIndex(
    DatasetOrigin origin, SampleKind kind, int classes, List<IndexedSource> sources) {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  public static final String FILE = "index.json";

  /** The most samples a dataset's counts may add up to. */
  public static final long MAX_SAMPLES = 1L << 62;

  public static final String FORMAT = "https://sentryml.org/dataset-index/v1";

  /** One source's shard and its sample counts by split and by label. */
  public record IndexedSource(
      String name, String shard, Map<String, Long> splits, Map<Integer, Long> labels) {
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
    JsonFile.write(datasetDir.resolve(FILE), toJson());
  }

  /** The bytes of {@code index.json}, as {@link #write} writes them. */
  public byte[] toBytes() {
    return JsonFile.bytes(toJson());
  }

  private JsonObject toJson() {
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
    return json;
  }

  /** Reads and validates {@code index.json} of a prepared dataset (BAD_INPUT naming the field). */
  public static DatasetIndex read(Path datasetDir) {
    return read(DatasetFiles.clear(datasetDir));
  }

  /** As {@link #read(Path)}, for a dataset in clear or encrypted. */
  public static DatasetIndex read(DatasetFiles files) {
    JsonFields json =
        JsonFile.parse(
            files.read(FILE, JsonFile.MAX_BYTES, "JSON file"),
            files.folder().resolve(FILE).toString(),
            FORMAT);
    List<IndexedSource> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long total = 0;
    JsonArray array = json.array("sources");
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = json.element("sources", array, i);
      String name = sourceName(entry, "name");
      if (!names.add(name)) {
        throw entry.error("name", "repeats source " + name);
      }
      String shard = shardName(entry, "shard");
      Map<String, Long> splits = new TreeMap<>();
      JsonFields splitCounts = entry.object("splits");
      for (String split : entry.required("splits").getAsJsonObject().keySet()) {
        long count = Unsigned64.field(splitCounts, split);
        splits.put(split, count);
        total = addCount(total, count, splitCounts, split);
      }
      Map<Integer, Long> labels = new TreeMap<>();
      JsonFields labelCounts = entry.object("labels");
      for (String label : entry.required("labels").getAsJsonObject().keySet()) {
        labels.put(classIndex(label, labelCounts), Unsigned64.field(labelCounts, label));
      }
      sources.add(new IndexedSource(name, shard, splits, labels));
    }
    return new DatasetIndex(
        DatasetOrigin.fromJson(json.object("dataset")),
        kindOf(json, "kind"),
        Unsigned64.field(json, "classes", Integer.MAX_VALUE),
        sources);
  }

  /** A source name: it names the shard and the signature file, so no path characters. */
  static String sourceName(JsonFields json, String field) {
    String name = json.string(field);
    if (!PLAIN_NAME.matcher(name).matches()) {
      throw json.error(
          field, "must be letters, digits, '.', '_' and '-' (not starting with '.'), not " + name);
    }
    return name;
  }

  /** A shard's file name: a plain file inside the dataset folder. */
  static String shardName(JsonFields json, String field) {
    String shard = json.string(field);
    if (!PLAIN_NAME.matcher(shard).matches()) {
      throw json.error(field, "must be a file name inside the dataset folder, not " + shard);
    }
    return shard;
  }

  /**
   * {@code total + count}, refused beyond {@link #MAX_SAMPLES}: then no sum or weight that readers
   * derive from the counts (a source's total, a pass's, one extra weight per source) can overflow.
   */
  static long addCount(long total, long count, JsonFields json, String field) {
    if (count > MAX_SAMPLES - total) {
      throw json.error(field, "brings the dataset's samples beyond 2^62");
    }
    return total + count;
  }

  private static int classIndex(String label, JsonFields labelCounts) {
    try {
      int value = Math.toIntExact(Unsigned64.parse(label));
      if (Integer.toString(value).equals(label)) {
        return value;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw labelCounts.error(label, "is not a class index in canonical decimal");
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
