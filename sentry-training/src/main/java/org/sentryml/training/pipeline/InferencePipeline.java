package org.sentryml.training.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.core.attestation.DatasetStatementCodec.SignedSource;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.core.model.LoadedModel;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.data.dataset.DatasetCheck;
import org.sentryml.data.dataset.DatasetFiles;
import org.sentryml.data.dataset.DatasetIndex;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.ShardRoots;
import org.sentryml.data.dataset.StreamingLoader;
import org.sentryml.training.ml.ClassifierSession;

/**
 * What {@code sentry-inferencer} does, in an order that never uses what is not verified: the model
 * is read once into memory and checked against {@code model.sig}, and built from those very bytes;
 * every {@code dataset_<source>.sig} and the provenance are verified; only then does inference run,
 * re-hashing every sample as it streams, and the stream's digests are compared with the signed ones
 * at the end. Every member of every shard must belong to a sample the stream hashes ({@link
 * StreamingLoader}). Each shard's file is also compared with the size and root that the (unsigned)
 * {@code manifest.json} records, and a difference is reported; it does not fail the run, because a
 * re-encoded shard with the same samples is still the signed data.
 */
public final class InferencePipeline {
  private InferencePipeline() {}

  /**
   * What to verify and infer on.
   *
   * @param keys where the keys of an encrypted model or dataset come from; null when neither is
   */
  public record Request(
      Path modelDir,
      Path datasetDir,
      SignatureFolder signatures,
      int batchSize,
      @Nullable DataKeys keys) {
    /** A request for a model and a dataset in clear. */
    public Request(Path modelDir, Path datasetDir, SignatureFolder signatures, int batchSize) {
      this(modelDir, datasetDir, signatures, batchSize, null);
    }
  }

  public static InferenceReport run(
      Request request,
      StatementVerifier verifier,
      OnDemandEngine engine,
      TaskProgress progress,
      Consumer<String> log) {
    LoadedModel loaded = ModelLoading.verifyAndLoad(request, verifier, engine);
    String root = loaded.manifest().root().hex();
    if (!(loaded instanceof LoadedModel.Verified model)) {
      return new InferenceReport(
          request.modelDir().toString(),
          root,
          ((LoadedModel.Rejected) loaded).diff().describe(),
          List.of(),
          Map.of(),
          List.of(),
          List.of(),
          List.of(),
          0,
          verifier.describe());
    }
    log.accept(
        "verified "
            + request.modelDir()
            + " against "
            + request.signatures().model()
            + " (root sha256:"
            + root
            + ")");
    Map<String, SignedSource> signed = request.signatures().verifySources(verifier);
    ProvenanceCodec.Provenance provenance =
        ProvenanceCodec.decode(
            SignatureFolder.verifiedStatement(request.signatures().provenance(), verifier),
            request.signatures().provenance().toString());
    DatasetFiles dataset = DatasetFiles.open(request.datasetDir(), request.keys());
    DatasetIndex index = DatasetIndex.read(dataset);
    List<String> provenanceProblems = provenanceProblems(provenance, root, signed, index);
    List<String> sources = new ArrayList<>(signed.keySet());
    if (!provenanceProblems.isEmpty()) {
      return new InferenceReport(
          request.modelDir().toString(),
          root,
          List.of(),
          provenanceProblems,
          Map.of(),
          sources,
          List.of(),
          List.of(),
          0,
          verifier.describe());
    }
    List<ShardRoots.Difference> shardDifferences =
        ShardRoots.compare(dataset, DatasetManifest.read(dataset), engine.get());
    log.accept(
        "verified "
            + signed.size()
            + " dataset signatures and the provenance; streaming "
            + request.datasetDir());

    Map<String, long[]> accuracy = new TreeMap<>();
    long started = System.nanoTime();
    StreamingLoader.Pass pass;
    try (ClassifierSession session = ClassifierSession.load(model.files())) {
      StreamingLoader loader = new StreamingLoader(dataset, index);
      long total =
          index.sources().stream()
              .flatMap(s -> s.splits().values().stream())
              .mapToLong(Long::longValue)
              .sum();
      progress.start("inference", total, "samples");
      pass = loader.pass(Set.copyOf(index.splits()), request.batchSize(), 0, true);
      try (pass) {
        while (pass.hasNext()) {
          List<Sample> batch = pass.next();
          int[] predicted = session.predict(batch);
          for (int i = 0; i < predicted.length; i++) {
            long[] counts = accuracy.computeIfAbsent(batch.get(i).split(), s -> new long[2]);
            counts[0] += predicted[i] == batch.get(i).label() ? 1 : 0;
            counts[1]++;
          }
          progress.advance(batch.size());
        }
      } finally {
        progress.finish();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, DatasetCheck.ExpectedSource> expected = new TreeMap<>();
    signed.forEach(
        (name, source) ->
            expected.put(name, new DatasetCheck.ExpectedSource(source.shard(), source.splits())));
    List<DatasetCheck.Mismatch> mismatches = DatasetCheck.compare(expected, pass.lattices());
    Set<String> all = new HashSet<>(sources);
    mismatches.forEach(m -> all.add(m.source()));
    return new InferenceReport(
        request.modelDir().toString(),
        root,
        List.of(),
        List.of(),
        accuracy,
        all.stream().sorted().toList(),
        mismatches,
        shardDifferences,
        seconds,
        verifier.describe());
  }

  /** Differences between what the provenance binds and the model and sources actually verified. */
  private static List<String> provenanceProblems(
      ProvenanceCodec.Provenance provenance,
      String modelRoot,
      Map<String, SignedSource> signed,
      DatasetIndex index) {
    List<String> problems = new ArrayList<>();
    if (!provenance.modelRoot().hex().equals(modelRoot)) {
      problems.add(
          "binds model root sha256:"
              + provenance.modelRoot().hex()
              + ", but model.sig signs sha256:"
              + modelRoot);
    }
    Map<String, String> bound = new HashMap<>();
    provenance.materials().forEach(m -> bound.put(m.name(), m.root().hex()));
    Map<String, String> verified = new HashMap<>();
    signed.values().forEach(s -> verified.put(s.origin().id() + "/" + s.source(), s.root().hex()));
    new TreeMap<>(verified)
        .forEach(
            (name, rootHex) -> {
              String claimed = bound.get(name);
              if (claimed == null) {
                problems.add("does not name data source " + name + ", which has a signature");
              } else if (!claimed.equals(rootHex)) {
                problems.add(
                    "binds "
                        + name
                        + " to sha256:"
                        + claimed
                        + ", but its signature holds sha256:"
                        + rootHex);
              }
            });
    new TreeMap<>(bound)
        .keySet().stream()
            .filter(name -> !verified.containsKey(name))
            .forEach(
                name ->
                    problems.add("names data source " + name + ", which has no dataset signature"));
    signed.values().stream()
        .filter(s -> !s.origin().equals(index.origin()))
        .findFirst()
        .ifPresent(
            s ->
                problems.add(
                    "the dataset's index names "
                        + index.origin().id()
                        + "@"
                        + index.origin().commit()
                        + ", the signatures "
                        + s.origin().id()
                        + "@"
                        + s.origin().commit()));
    return problems;
  }
}
