package org.sentryml.data.dataset;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;
import org.sentryml.core.json.Unsigned64;
import org.sentryml.core.tree.LtHash16;

/**
 * The unsigned dataset manifest ({@code manifest.json}) that {@code sentry-dataset} writes beside
 * the shards: origin, kind, split plan and every source's digests. The trainer checks the stream
 * against it before it signs anything. Format in docs/FORMAT.md.
 */
public record DatasetManifest(
    DatasetOrigin origin,
    SampleKind kind,
    int classes,
    SplitPlan plan,
    List<SourceDigest> sources) {
  public static final String FILE = "manifest.json";
  public static final String FORMAT = "https://sentryml.org/dataset-manifest/v1";

  /** The digest name of shard files' at-rest roots. */
  public static final String SHARD_ROOT_ALGORITHM = "sha256-merkle-65536";

  public DatasetManifest {
    sources = List.copyOf(sources);
  }

  public Optional<SourceDigest> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public void write(Path datasetDir) {
    JsonFile.write(datasetDir.resolve(FILE), toJson());
  }

  /** The bytes of {@code manifest.json}, as {@link #write} writes them. */
  public byte[] toBytes() {
    return JsonFile.bytes(toJson());
  }

  private JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("dataset", origin.toJson());
    json.addProperty("kind", kind.name().toLowerCase(Locale.ROOT));
    json.addProperty("classes", classes);
    JsonObject split = new JsonObject();
    split.addProperty("sources", plan.sources());
    split.addProperty("alpha", plan.alpha());
    split.addProperty("seed", plan.seed());
    json.add("split", split);
    json.addProperty("lattice", LtHash16.NAME);
    JsonArray array = new JsonArray();
    for (SourceDigest source : sources) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", source.name());
      JsonObject shard = new JsonObject();
      shard.addProperty("file", source.shard());
      shard.addProperty("size", source.shardSize());
      shard.addProperty("algorithm", source.shardRoot().algorithm());
      shard.addProperty("root", source.shardRoot().hex());
      entry.add("shard", shard);
      entry.addProperty("samples", source.samples());
      entry.addProperty("digest", source.totalDigest().hex());
      JsonArray splits = new JsonArray();
      for (SplitDigest s : source.splits()) {
        JsonObject splitEntry = new JsonObject();
        splitEntry.addProperty("split", s.split());
        splitEntry.addProperty("samples", s.samples());
        splitEntry.addProperty("digest", s.digest().hex());
        splitEntry.addProperty(
            "checksum", Base64.getEncoder().encodeToString(s.lattice().checksum()));
        splits.add(splitEntry);
      }
      entry.add("splits", splits);
      array.add(entry);
    }
    json.add("sources", array);
    return json;
  }

  /**
   * Reads and validates {@code manifest.json} of a prepared dataset (BAD_INPUT naming the field).
   */
  public static DatasetManifest read(Path datasetDir) {
    return read(DatasetFiles.clear(datasetDir));
  }

  /** As {@link #read(Path)}, for a dataset in clear or encrypted. */
  public static DatasetManifest read(DatasetFiles files) {
    Path file = files.folder().resolve(FILE);
    JsonFields json =
        JsonFile.parse(files.read(FILE, JsonFile.MAX_BYTES, "JSON file"), file.toString(), FORMAT);
    if (!LtHash16.NAME.equals(json.string("lattice"))) {
      throw json.error("lattice", "must be " + LtHash16.NAME);
    }
    DatasetOrigin origin = DatasetOrigin.fromJson(json.object("dataset"));
    SampleKind kind = DatasetIndex.kindOf(json, "kind");
    JsonFields split = json.object("split");
    JsonElement alpha = split.required("alpha");
    if (!alpha.isJsonPrimitive() || !alpha.getAsJsonPrimitive().isNumber()) {
      throw split.error("alpha", "must be a number, got " + alpha);
    }
    SplitPlan plan;
    try {
      plan =
          new SplitPlan(
              Unsigned64.field(split, "sources", Integer.MAX_VALUE),
              alpha.getAsDouble(),
              split.int64("seed"));
    } catch (IllegalArgumentException e) {
      throw json.error("split", "is invalid: " + e.getMessage());
    }
    List<SourceDigest> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long total = 0;
    JsonArray array = json.array("sources");
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = json.element("sources", array, i);
      String name = DatasetIndex.sourceName(entry, "name");
      if (!names.add(name)) {
        throw entry.error("name", "repeats source " + name);
      }
      JsonFields shard = entry.object("shard");
      List<SplitDigest> splits = new ArrayList<>();
      Set<String> splitNames = new HashSet<>();
      JsonArray splitArray = entry.array("splits");
      for (int j = 0; j < splitArray.size(); j++) {
        JsonFields s = entry.element("splits", splitArray, j);
        if (!splitNames.add(s.string("split"))) {
          throw s.error("split", "repeats split " + s.string("split") + " of source " + name);
        }
        byte[] checksum = s.base64("checksum");
        if (checksum.length != LtHash16.CHECKSUM_BYTES) {
          throw s.error(
              "checksum",
              "must hold " + LtHash16.CHECKSUM_BYTES + " bytes, not " + checksum.length);
        }
        long samples = Unsigned64.field(s, "samples");
        total = DatasetIndex.addCount(total, samples, s, "samples");
        splits.add(new SplitDigest(s.string("split"), samples, LtHash16.fromChecksum(checksum)));
      }
      sources.add(
          new SourceDigest(
              name,
              DatasetIndex.shardName(shard, "file"),
              Unsigned64.field(shard, "size"),
              shardRoot(shard),
              splits));
    }
    if (sources.isEmpty()) {
      throw new MalformedInputException(file + ": lists no sources");
    }
    if (sources.size() != plan.sources()) {
      throw split.error(
          "sources",
          "is " + plan.sources() + ", but the manifest lists " + sources.size() + " sources");
    }
    return new DatasetManifest(
        origin, kind, Unsigned64.field(json, "classes", Integer.MAX_VALUE), plan, sources);
  }

  /** The shard's at-rest root: {@link #SHARD_ROOT_ALGORITHM} only, as 64 lowercase hex digits. */
  private static Digest shardRoot(JsonFields shard) {
    String algorithm = shard.string("algorithm");
    if (!SHARD_ROOT_ALGORITHM.equals(algorithm)) {
      throw shard.error("algorithm", "must be " + SHARD_ROOT_ALGORITHM + ", not " + algorithm);
    }
    String root = shard.string("root");
    if (!root.matches("[0-9a-f]{64}")) {
      throw shard.error("root", "must be 64 lowercase hex digits, not " + root);
    }
    return Digest.ofHex(algorithm, root);
  }
}
