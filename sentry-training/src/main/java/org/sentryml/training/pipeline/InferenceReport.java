package org.sentryml.training.pipeline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.data.dataset.DatasetCheck;
import org.sentryml.data.dataset.ShardRoots;

/**
 * What {@code sentry-inferencer} found: the model check, the provenance check, accuracy per split
 * and every data source's comparison, with expected and actual digests for each difference.
 *
 * @param modelProblems empty when the model's bytes match {@code model.sig}
 * @param provenanceProblems empty when {@code provenance.sig} binds this model to these sources
 * @param accuracy per split, correct / samples (empty when inference never ran)
 * @param datasetMismatches every (source, split) whose streamed samples differ from its signature
 * @param shardDifferences every shard whose file differs from what {@code manifest.json} records:
 *     reported, but not a failure (the signed lattices decide, docs/FORMAT.md)
 */
public record InferenceReport(
    String model,
    String modelRoot,
    List<String> modelProblems,
    List<String> provenanceProblems,
    Map<String, long[]> accuracy,
    List<String> sources,
    List<DatasetCheck.Mismatch> datasetMismatches,
    List<ShardRoots.Difference> shardDifferences,
    double seconds,
    String verifier) {
  public InferenceReport {
    modelProblems = List.copyOf(modelProblems);
    provenanceProblems = List.copyOf(provenanceProblems);
    accuracy = new TreeMap<>(accuracy);
    sources = List.copyOf(sources);
    datasetMismatches = List.copyOf(datasetMismatches);
    shardDifferences = List.copyOf(shardDifferences);
  }

  public boolean ok() {
    return modelProblems.isEmpty() && provenanceProblems.isEmpty() && datasetMismatches.isEmpty();
  }

  public long samples() {
    return accuracy.values().stream().mapToLong(a -> a[1]).sum();
  }

  /** Human-readable lines: failures first, each naming what differs. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    modelProblems.forEach(p -> lines.add("model: " + p));
    provenanceProblems.forEach(p -> lines.add("provenance: " + p));
    datasetMismatches.forEach(m -> lines.add("dataset: " + m.describe()));
    shardDifferences.forEach(
        d ->
            lines.add(
                "note: shard " + d.describe() + " (its samples are what the signatures decide)"));
    accuracy.forEach(
        (split, counts) ->
            lines.add(
                String.format(
                    Locale.ROOT,
                    "accuracy on %s: %.2f%% (%d of %d)",
                    split,
                    counts[1] == 0 ? 0.0 : 100.0 * counts[0] / counts[1],
                    counts[0],
                    counts[1])));
    if (samples() > 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%d samples in %.1f s (%.0f samples/s), hashed on the fly",
              samples(),
              seconds,
              samples() / seconds));
    }
    return lines;
  }

  /**
   * The report as pretty-printed JSON, with the exit code it ends the run with.
   *
   * @param exitCode the code the agent exits with (the command line chooses it)
   * @param error the one-line reason of a failed report, or null when it is ok
   */
  public String toJson(int exitCode, @Nullable String error) {
    JsonObject json = new JsonObject();
    json.addProperty("ok", ok());
    json.addProperty("exit_code", exitCode);
    if (error != null) {
      json.addProperty("error", error);
    }
    JsonObject model = new JsonObject();
    model.addProperty("path", this.model);
    if (modelRoot != null) {
      model.addProperty("root", "sha256:" + modelRoot);
    }
    model.addProperty("ok", modelProblems.isEmpty());
    model.add("problems", strings(modelProblems));
    json.add("model", model);
    JsonObject provenance = new JsonObject();
    provenance.addProperty("ok", provenanceProblems.isEmpty());
    provenance.add("problems", strings(provenanceProblems));
    json.add("provenance", provenance);
    JsonObject accuracyJson = new JsonObject();
    accuracy.forEach(
        (split, counts) -> {
          JsonObject entry = new JsonObject();
          entry.addProperty("correct", counts[0]);
          entry.addProperty("samples", counts[1]);
          entry.addProperty("accuracy", counts[1] == 0 ? 0.0 : (double) counts[0] / counts[1]);
          accuracyJson.add(split, entry);
        });
    json.add("accuracy", accuracyJson);
    json.addProperty("samples_per_second", seconds > 0 ? samples() / seconds : 0);
    JsonArray sourceArray = new JsonArray();
    for (String source : sources) {
      JsonObject entry = new JsonObject();
      entry.addProperty("source", source);
      List<DatasetCheck.Mismatch> own =
          datasetMismatches.stream().filter(m -> m.source().equals(source)).toList();
      entry.addProperty("ok", own.isEmpty());
      JsonArray differences = new JsonArray();
      for (DatasetCheck.Mismatch m : own) {
        JsonObject d = new JsonObject();
        d.addProperty("shard", m.shard());
        d.addProperty("split", m.split());
        d.add("expected", digest(m.expected()));
        d.add("actual", digest(m.actual()));
        differences.add(d);
      }
      entry.add("differences", differences);
      shardDifferences.stream()
          .filter(d -> d.source().equals(source))
          .findFirst()
          .ifPresent(
              d -> {
                JsonObject shard = new JsonObject();
                shard.addProperty("file", d.shard());
                shard.addProperty("recorded_size", d.recordedSize());
                shard.addProperty("recorded_root", d.recordedRoot().toString());
                shard.addProperty("size", d.size());
                shard.addProperty("root", d.root().toString());
                entry.add("shard_differs_from_manifest", shard);
              });
      sourceArray.add(entry);
    }
    json.add("sources", sourceArray);
    json.addProperty("verifier", verifier);
    return new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            .create()
            .toJson(json)
        + "\n";
  }

  private static JsonObject digest(SplitDigest digest) {
    JsonObject json = new JsonObject();
    if (digest != null) {
      json.addProperty("samples", digest.samples());
      json.addProperty("digest", digest.digest().algorithm() + ":" + digest.digest().hex());
    }
    return json;
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }
}
