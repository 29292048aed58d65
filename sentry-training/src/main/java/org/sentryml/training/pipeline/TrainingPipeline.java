package org.sentryml.training.pipeline;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.attestation.DatasetStatementCodec;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.core.attestation.SplitDigest;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.io.OutputGuard;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.core.signing.StatementSigner;
import org.sentryml.data.dataset.DatasetCheck;
import org.sentryml.data.dataset.DatasetFiles;
import org.sentryml.data.dataset.DatasetIndex;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.ShardRoots;
import org.sentryml.data.dataset.SourceDigest;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.data.dataset.StreamingLoader;
import org.sentryml.training.checkpoint.BackgroundCheckpoints;
import org.sentryml.training.checkpoint.CheckpointKeys;
import org.sentryml.training.checkpoint.CheckpointStore;
import org.sentryml.training.checkpoint.FaultPoints;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.EngineThreads;
import org.sentryml.training.ml.ImageFeatures;
import org.sentryml.training.ml.TextFeatures;
import org.sentryml.training.ml.TrainingConfig;

/**
 * What {@code sentry-trainer} does: stream the prepared dataset in shuffled batches while folding
 * every sample into its source's lattice, train, check after every epoch that the stream matches
 * the dataset manifest (data changed since preparation is never signed), then save the model and
 * sign the model, every source and the provenance that binds them.
 *
 * <p>Every output location is checked before training, and the shards against the sizes and roots
 * {@code manifest.json} records. All statements are signed before any file is replaced, and the
 * model and its signatures are replaced together ({@link TrainingOutputs}), so a failing signer (a
 * refused key, an unreachable Sigstore) or an unwritable folder leaves the previous model and
 * signatures as they were.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  /**
   * What to train on, where to put the model and its signatures, and how.
   *
   * @param tokenizer {@code tokenizer.json} for a text dataset; null to take the dataset's own
   * @param keys where the keys of an encrypted dataset (and of {@code modelKey}) come from; null
   *     when nothing is encrypted
   * @param modelKey the key to write the model encrypted under, or null to write it in clear
   */
  public record Request(
      Path datasetDir,
      Path modelDir,
      SignatureFolder signatures,
      TrainingConfig config,
      String builderId,
      @Nullable Path tokenizer,
      @Nullable DataKeys keys,
      @Nullable KeyId modelKey) {
    /** A request for a dataset and a model in clear. */
    public Request(
        Path datasetDir,
        Path modelDir,
        SignatureFolder signatures,
        TrainingConfig config,
        String builderId,
        @Nullable Path tokenizer) {
      this(datasetDir, modelDir, signatures, config, builderId, tokenizer, null, null);
    }

    public Request {
      if (modelKey != null && keys == null) {
        throw new IllegalArgumentException("an encrypted model needs keys");
      }
    }
  }

  /** One epoch's figures. */
  public record EpochStats(
      int epoch,
      double loss,
      double trainAccuracy,
      double evalAccuracy,
      long trainSamples,
      long evalSamples,
      double seconds,
      double hashingSeconds) {}

  /** The outcome: the dataset trained on, the signed model manifest, every epoch's figures. */
  public record Result(
      DatasetManifest dataset, Manifest model, List<EpochStats> epochs, String device) {}

  public static Result run(
      Request request,
      StatementSigner signer,
      OnDemandEngine engine,
      TaskProgress progress,
      Consumer<String> log) {
    return run(
        request,
        CheckpointOptions.defaults(EngineThreads.defaultCount()),
        signer,
        engine,
        progress,
        log);
  }

  /**
   * As above, with the thread count and checkpoints of {@code resilience}: a checkpoint every so
   * many steps, and with {@code resume} the run continues from the newest one that verifies. The
   * checkpoint folder is deleted once the model and signatures are committed.
   */
  public static Result run(
      Request request,
      CheckpointOptions resilience,
      StatementSigner signer,
      OnDemandEngine engine,
      TaskProgress progress,
      Consumer<String> log) {
    EngineThreads.pin(resilience.threads());
    Instant startedOn = Instant.now();
    if (request.modelKey() != null) {
      // Fetched now, so that a missing model key fails before any training, not after it.
      request.keys().streamingAead(request.modelKey());
    }
    DatasetFiles dataset = DatasetFiles.open(request.datasetDir(), request.keys());
    DatasetManifest manifest = DatasetManifest.read(dataset);
    DatasetIndex index = DatasetIndex.read(dataset);
    checkSameSources(index, manifest, request.datasetDir());
    List<Path> inputs = new ArrayList<>(List.of(request.datasetDir()));
    if (request.tokenizer() != null) {
      inputs.add(request.tokenizer());
    }
    try (TrainingOutputs outputs =
        TrainingOutputs.prepare(request.modelDir(), request.signatures(), inputs)) {
      checkShards(dataset, manifest, engine);
      Path checkpointDir = resilience.folderFor(request.modelDir());
      OutputGuard.refuseUnsafe(
          checkpointDir,
          "--checkpoint-dir",
          List.of(request.modelDir(), request.signatures().dir(), request.datasetDir()));
      CheckpointStore store = openStore(sealing(resilience, request, dataset), checkpointDir, log);
      Trained trained = train(request, resilience, store, dataset, manifest, index, progress, log);
      ModelOutput.write(outputs.modelFolder(), trained.files(), request.keys(), request.modelKey());
      Signed signed = signAll(request, manifest, trained, signer, engine, startedOn);
      outputs.commit(signed.files());
      if (store != null) {
        store.finish(log);
      }
      return new Result(manifest, signed.model(), trained.epochs(), trained.device());
    }
  }

  /**
   * Checkpoints of an encrypted run are sealed under the model's data key (else the dataset's),
   * which never touches the checkpoint folder, so they hold no parameter a reader of the folder
   * could decrypt; a run in clear keeps the options' own key.
   */
  private static CheckpointOptions sealing(
      CheckpointOptions resilience, Request request, DatasetFiles dataset) {
    KeyId key = request.modelKey() != null ? request.modelKey() : dataset.keyId().orElse(null);
    return key == null
        ? resilience
        : resilience.withKeys(CheckpointKeys.dataKey(request.keys(), key));
  }

  private static CheckpointStore openStore(
      CheckpointOptions resilience, Path dir, Consumer<String> log) {
    if (resilience.every() == 0) {
      return null;
    }
    return resilience.resume()
        ? CheckpointStore.open(dir, resilience.keys(), resilience.keep(), resilience.ledger())
        : CheckpointStore.create(
            dir, resilience.keys(), resilience.keep(), resilience.ledger(), log);
  }

  /**
   * What training produced: the model's architecture and device, every epoch, the last epoch's
   * lattices, the engine and thread count it ran with.
   */
  private record Trained(
      ClassifierSpec spec,
      String device,
      List<EpochStats> epochs,
      SourceLattices lastEpoch,
      Map<String, byte[]> files,
      String engine,
      int threads) {}

  /** The signed model manifest and every signature file's bytes, by target. */
  private record Signed(Manifest model, Map<Path, byte[]> files) {}

  /**
   * Trains, checking the stream against the manifest after every epoch, and returns the model's
   * files, in memory; with a store, checkpoints as it goes and, to resume, starts from the newest.
   */
  private static Trained train(
      Request request,
      CheckpointOptions resilience,
      @Nullable CheckpointStore store,
      DatasetFiles dataset,
      DatasetManifest manifest,
      DatasetIndex index,
      TaskProgress progress,
      Consumer<String> log) {
    StreamingLoader loader = new StreamingLoader(dataset, index);
    Splits splits = Splits.of(index);
    Sample first = firstSample(loader, splits);
    TextFeatures text = first.kind() == SampleKind.TEXT ? tokenizer(request, dataset) : null;
    ClassifierSpec spec =
        text == null
            ? ImageFeatures.specFor(first, Math.max(2, manifest.classes()))
            : ClassifierSpec.text(
                text.vocabSize(), TextFeatures.DEFAULT_MAX_TOKENS, Math.max(2, manifest.classes()));
    TrainingConfig config = request.config();
    SourceLattices lastEpoch;
    try (ClassifierSession session = ClassifierSession.create(spec, config, text);
        BackgroundCheckpoints checkpoints =
            store == null ? null : new BackgroundCheckpoints(store)) {
      EpochRunner runner =
          new EpochRunner(
              session,
              loader,
              splits,
              config,
              resilience,
              checkpoints,
              progress,
              describeRun(manifest, spec));
      if (store != null && resilience.resume()) {
        store
            .newest(log)
            .ifPresentOrElse(
                loaded -> {
                  runner.restore(loaded.state());
                  log.accept(
                      "resuming run "
                          + store.runId()
                          + " from "
                          + loaded.name()
                          + " (epoch "
                          + loaded.state().epoch()
                          + ")");
                },
                () ->
                    log.accept(
                        "no checkpoint of run " + store.runId() + " yet; starting at step 0"));
      }
      log.accept(
          "training "
              + spec.architecture()
              + " on "
              + session.device()
              + " with "
              + manifest.origin().id()
              + " ("
              + manifest.sources().size()
              + " sources; train split "
              + splits.train()
              + ", evaluation "
              + splits.eval()
              + ", "
              + resilience.threads()
              + " threads)");
      do {
        int epoch = runner.epochs().size() + 1;
        Epoch result = runner.run(epoch);
        lastEpoch = result.lattices();
        FaultPoints.reach(FaultPoints.DATASET_CHECK);
        List<DatasetCheck.Mismatch> mismatches =
            DatasetCheck.compare(DatasetCheck.expectations(manifest), lastEpoch);
        if (!mismatches.isEmpty()) {
          throw new VerificationFailedException(
              String.format(
                  Locale.ROOT,
                  "the data streamed in epoch %d differs from %s; refusing to sign a model trained on it: %s",
                  epoch,
                  DatasetManifest.FILE,
                  String.join(
                      "; ", mismatches.stream().map(DatasetCheck.Mismatch::describe).toList())));
        }
        runner.epochs().add(result.stats());
        log.accept(describe(result.stats()));
      } while (runner.epochs().size() < config.epochs());
      return new Trained(
          spec,
          session.device(),
          List.copyOf(runner.epochs()),
          lastEpoch,
          session.files(),
          session.engineVersion(),
          resilience.threads());
    }
  }

  /** What a checkpoint must agree on with the run that resumes from it. */
  private static JsonObject describeRun(DatasetManifest manifest, ClassifierSpec spec) {
    JsonObject run = new JsonObject();
    run.addProperty("dataset", manifest.origin().id() + "@" + manifest.origin().commit());
    run.addProperty("architecture", spec.architecture());
    run.addProperty("classes", spec.classes());
    return run;
  }

  /**
   * Every shard must be the file {@code sentry-dataset} wrote (size and at-rest root in {@code
   * manifest.json}) before any training: a changed shard would only be caught after an epoch, and
   * the trainer signs what it trains on.
   */
  private static void checkShards(
      DatasetFiles dataset, DatasetManifest manifest, OnDemandEngine engine) {
    List<ShardRoots.Difference> differences = ShardRoots.compare(dataset, manifest, engine.get());
    if (!differences.isEmpty()) {
      throw new VerificationFailedException(
          "shards changed since sentry-dataset wrote them, so nothing"
              + " was trained: "
              + String.join(
                  "; ", differences.stream().map(ShardRoots.Difference::describe).toList()));
    }
  }

  /**
   * The splits a dataset trains on and evaluates on: {@code train} (else the first) and the rest.
   */
  record Splits(Set<String> train, Set<String> eval) {
    static Splits of(DatasetIndex index) {
      List<String> all = index.splits();
      if (all.isEmpty()) {
        throw new MalformedInputException("the dataset index lists no samples");
      }
      String train = all.contains("train") ? "train" : all.get(0);
      Set<String> eval = new TreeSet<>(all);
      eval.remove(train);
      return new Splits(Set.of(train), eval);
    }
  }

  record Epoch(EpochStats stats, SourceLattices lattices) {}

  private static Sample firstSample(StreamingLoader loader, Splits splits) {
    try (StreamingLoader.Pass pass = loader.pass(splits.train(), 1, 0, false)) {
      if (!pass.hasNext()) {
        throw new MalformedInputException("the dataset has no samples in split " + splits.train());
      }
      return pass.next().get(0);
    }
  }

  private static TextFeatures tokenizer(Request request, DatasetFiles dataset) {
    if (request.tokenizer() != null) {
      try {
        return TextFeatures.fromJson(Files.readAllBytes(request.tokenizer()));
      } catch (IOException e) {
        throw PathProblems.classify(request.tokenizer(), e);
      }
    }
    if (!dataset.has(TextFeatures.FILE)) {
      throw new UsageException(
          "the dataset holds text; give its tokenizer with --tokenizer tokenizer.json"
              + " (or prepare the dataset with sentry-dataset --tokenizer)");
    }
    return TextFeatures.fromJson(
        dataset.read(TextFeatures.FILE, TextFeatures.MAX_FILE_BYTES, "tokenizer"));
  }

  /** Signs every source, the trained model's files and the provenance, in memory. */
  private static Signed signAll(
      Request request,
      DatasetManifest dataset,
      Trained trained,
      StatementSigner signer,
      OnDemandEngine engine,
      Instant startedOn) {
    Map<Path, byte[]> files = new TreeMap<>();
    List<ProvenanceCodec.Material> materials = new ArrayList<>();
    for (SourceDigest source : dataset.sources()) {
      List<SplitDigest> splits = trained.lastEpoch().digests(source.name());
      byte[] statement =
          DatasetStatementCodec.encode(dataset.origin(), source.name(), source.shard(), splits);
      files.put(request.signatures().dataset(source.name()), signer.sign(statement));
      materials.add(
          new ProvenanceCodec.Material(
              DatasetStatementCodec.subjectName(dataset.origin(), source.name()),
              "hf://datasets/"
                  + dataset.origin().id()
                  + "@"
                  + dataset.origin().commit()
                  + "#"
                  + source.name(),
              DatasetStatementCodec.root(splits)));
    }
    Serialization serialization =
        Serialization.merkle(
            HashAlgorithm.SHA256, 65536, Workflow.LAYERED, false, IgnoreRules.DEFAULTS);
    // The model's own bytes, from memory: an encrypted model is never in clear in a file.
    Map<String, ByteBuffer> modelFiles = new TreeMap<>();
    trained.files().forEach((name, bytes) -> modelFiles.put(name, ByteBuffer.wrap(bytes)));
    Manifest model =
        Models.manifest(
            ModelPlan.inMemory(ModelPlan.nameOf(request.modelDir()), modelFiles, serialization),
            engine);
    files.put(request.signatures().model(), signer.sign(Models.statementBytes(model)));
    ProvenanceCodec.Provenance provenance =
        new ProvenanceCodec.Provenance(
            model.modelName(),
            model.root(),
            materials,
            parameters(request, dataset, trained),
            request.builderId(),
            startedOn,
            Instant.now());
    files.put(request.signatures().provenance(), signer.sign(ProvenanceCodec.encode(provenance)));
    return new Signed(model, files);
  }

  private static JsonObject parameters(Request request, DatasetManifest dataset, Trained trained) {
    ClassifierSpec spec = trained.spec();
    JsonObject parameters = new JsonObject();
    parameters.addProperty("dataset", dataset.origin().id());
    parameters.addProperty("dataset_commit", dataset.origin().commit());
    parameters.addProperty("architecture", spec.architecture());
    parameters.addProperty("classes", spec.classes());
    parameters.addProperty("epochs", request.config().epochs());
    parameters.addProperty("batch_size", request.config().batchSize());
    parameters.addProperty("learning_rate", request.config().learningRate());
    parameters.addProperty("seed", request.config().seed());
    parameters.addProperty("device", trained.device());
    // What else a third party needs to re-run and compare roots (sentry-trainer --reproduce).
    parameters.addProperty("threads", trained.threads());
    parameters.addProperty("engine", trained.engine());
    parameters.addProperty("optimizer", "adam(beta1=0.9,beta2=0.999,eps=1e-8)");
    parameters.addProperty("shuffle_buffer", StreamingLoader.DEFAULT_SHUFFLE_BUFFER);
    parameters.addProperty("shuffle", "per-batch-seed-v1");
    return parameters;
  }

  private static void checkSameSources(DatasetIndex index, DatasetManifest manifest, Path dir) {
    List<String> indexed =
        index.sources().stream().map(DatasetIndex.IndexedSource::name).sorted().toList();
    List<String> manifested = manifest.sources().stream().map(SourceDigest::name).sorted().toList();
    if (!indexed.equals(manifested)) {
      throw new VerificationFailedException(
          dir
              + ": "
              + DatasetIndex.FILE
              + " lists sources "
              + indexed
              + " but "
              + DatasetManifest.FILE
              + " lists "
              + manifested);
    }
    if (!index.origin().equals(manifest.origin())) {
      throw new VerificationFailedException(
          dir
              + ": "
              + DatasetIndex.FILE
              + " and "
              + DatasetManifest.FILE
              + " name different upstream datasets");
    }
  }

  static String describe(EpochStats s) {
    return String.format(
        Locale.ROOT,
        "epoch %d: loss %.4f, train accuracy %.2f%% (%d samples), evaluation accuracy %s (%d samples), %.1f s (hashing %.2f s, %.1f%%)",
        s.epoch(),
        s.loss(),
        100 * s.trainAccuracy(),
        s.trainSamples(),
        Double.isNaN(s.evalAccuracy())
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f%%", 100 * s.evalAccuracy()),
        s.evalSamples(),
        s.seconds(),
        s.hashingSeconds(),
        100 * s.hashingSeconds() / s.seconds());
  }
}
