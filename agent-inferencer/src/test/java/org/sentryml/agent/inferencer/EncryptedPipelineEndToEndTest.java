package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.core.signing.PrivateKeySigner;
import org.sentryml.data.dataset.ParquetSamples;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;
import org.sentryml.training.ml.TrainingConfig;
import org.sentryml.training.pipeline.SignatureFolder;
import org.sentryml.training.pipeline.TrainingPipeline;

/**
 * The pipeline with every artifact encrypted (DESIGN §8): sentry-dataset --encrypt, sentry-trainer
 * --encrypt-model, sentry-inferencer with the key store; no file outside the Hub cache holds a
 * sample image or a run of model parameters in clear, after the run and at an epoch boundary of
 * training; a wrong key store and a changed ciphertext byte are refused before any inference.
 */
@Tag(TestTags.E2E)
class EncryptedPipelineEndToEndTest {
  /** Long enough that a match is no accident, short enough to find any copied region. */
  private static final int WINDOW = 32;

  @TempDir static Path work;
  private static Path mirror;
  private static Path dataset;
  private static Path models;
  private static Path signatures;
  private static Path store;

  @BeforeAll
  static void prepareAndTrainEncrypted() throws Exception {
    mirror = Pipeline.tinyMirror(work);
    dataset = work.resolve("dataset/mnist-tiny");
    models = work.resolve("models");
    signatures = work.resolve("signatures");
    store = work.resolve("key-store");
    assertEquals(0, Pipeline.sentry("keys", "init", "--store", store.toString()).exitCode());
    assertEquals(0, Pipeline.keygen(work.resolve("keys")).exitCode());
    Pipeline.Run made =
        Pipeline.dataset(
            "sentryml/mnist-tiny",
            "4",
            "1.0",
            dataset.toString(),
            "--hub-mirror",
            mirror.toString(),
            "--cache-dir",
            work.resolve("hf-cache").toString(),
            "--encrypt",
            "--key-store",
            store.toString(),
            "--quiet");
    assertEquals(0, made.exitCode(), made.all());
    Pipeline.Run trained =
        Pipeline.trainer(
            "--sig_out",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--key-store",
            store.toString(),
            "--encrypt-model",
            "--model-id",
            "mnist-tiny-cnn@1",
            "--quiet",
            "private-key",
            "--private_key",
            work.resolve("keys/private.pem").toString());
    assertEquals(0, trained.exitCode(), trained.all());
  }

  @Test
  void theInferencerVerifiesAndInfersOnTheEncryptedModelAndDataset() {
    Pipeline.Run run = infer(store);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("verified " + models), run.all());
    assertTrue(run.all().contains("accuracy on test"), run.all());
  }

  @Test
  void everyFileOfTheDatasetAndTheModelIsCiphertextUnderItsKey() {
    assertTrue(EncryptedFolder.isEncrypted(dataset));
    assertTrue(EncryptedFolder.isEncrypted(models));
    KeyStore keys = openStore();
    assertEquals(
        new KeyId(ArtifactKind.DATASET, "mnist-tiny", "main"),
        EncryptedFolder.open(dataset, keys).header().keyId());
    assertEquals(
        new KeyId(ArtifactKind.MODEL, "mnist-tiny-cnn", "1"),
        EncryptedFolder.open(models, keys).header().keyId());
  }

  @Test
  void noSampleImageOrModelParameterIsOnDiskInClear() throws Exception {
    Set<ByteBuffer> secrets = sampleWindows();
    secrets.addAll(modelWindows());
    assertEquals(List.of(), filesHolding(work, secrets));
  }

  @Test
  void theSearchFindsASampleThatIsInClear(@TempDir Path elsewhere) throws Exception {
    Set<ByteBuffer> samples = sampleWindows();
    Path leaked = elsewhere.resolve("leaked.bin");
    ByteBuffer one = samples.iterator().next();
    byte[] bytes = new byte[3 + one.remaining()];
    one.duplicate().get(bytes, 3, one.remaining());
    Files.write(leaked, bytes);
    assertEquals(List.of(leaked), filesHolding(elsewhere, samples));
  }

  @Test
  void noSampleIsOnDiskInClearWhileTrainingPausesAtAnEpochBoundary() throws Exception {
    Set<ByteBuffer> samples = sampleWindows();
    List<List<Path>> seen = new ArrayList<>();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyStore keys = openStore();
    KeyId modelKey = new KeyId(ArtifactKind.MODEL, "paused", "1");
    keys.createIfAbsent(modelKey);
    TrainingPipeline.Request request =
        new TrainingPipeline.Request(
            dataset,
            work.resolve("paused-models"),
            new SignatureFolder(work.resolve("paused-signatures")),
            new TrainingConfig(2, 64, 0.001f, 7),
            "test",
            null,
            keys,
            modelKey);
    try (OnDemandEngine engine = new OnDemandEngine(() -> new CpuEngine(2))) {
      TrainingPipeline.run(
          request,
          new PrivateKeySigner(generator.generateKeyPair().getPrivate()),
          engine,
          TaskProgress.NONE,
          line -> {
            // The log line of an epoch is written between two epochs, on the training thread.
            if (line.startsWith("epoch ")) {
              seen.add(filesHolding(work, samples));
            }
          });
    }
    assertEquals(List.of(List.of(), List.of()), seen);
  }

  @Test
  void aStoreWithoutTheKeysIsRefusedBeforeAnyInference() {
    Path other = work.resolve("other-store");
    assertEquals(0, Pipeline.sentry("keys", "init", "--store", other.toString()).exitCode());
    Pipeline.Run run = infer(other);
    assertEquals(6, run.exitCode(), run.all());
    assertFalse(run.all().contains("accuracy on"), run.all());
  }

  @Test
  void anEncryptedDatasetWithoutAKeyStoreIsAUsageError() {
    Pipeline.Run run = infer(null);
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.all().contains("is encrypted"), run.all());
  }

  @Test
  void aChangedCiphertextByteInAShardFailsTheRunNamingTheShard(@TempDir Path copy)
      throws IOException {
    TestFiles.copyTree(work, copy, StandardCopyOption.REPLACE_EXISTING);
    Path shard = copy.resolve("dataset/mnist-tiny/source-00.tar");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 1;
    Files.write(shard, bytes);
    Pipeline.Run run =
        Pipeline.inferencer(
            "--sig_path",
            copy.resolve("signatures").toString(),
            "--model_path",
            copy.resolve("models").toString(),
            "--dataset",
            copy.resolve("dataset/mnist-tiny").toString(),
            "--key-store",
            copy.resolve("key-store").toString(),
            "--quiet",
            "private-key",
            "--public_key",
            copy.resolve("keys/public.pem").toString());
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.all().contains("source-00.tar"), run.all());
    assertFalse(run.all().contains("accuracy on"), run.all());
  }

  private static Pipeline.Run infer(Path keyStore) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--sig_path",
                signatures.toString(),
                "--model_path",
                models.toString(),
                "--dataset",
                dataset.toString(),
                "--quiet"));
    if (keyStore != null) {
      args.addAll(List.of("--key-store", keyStore.toString()));
    }
    args.addAll(List.of("private-key", "--public_key", work.resolve("keys/public.pem").toString()));
    return Pipeline.inferencer(args.toArray(String[]::new));
  }

  private static KeyStore openStore() {
    return KeyStore.open(store, MasterKeySource.resolve(null, Map.of(), store));
  }

  /** A window from the middle of every sample image of the upstream parquet files. */
  private static Set<ByteBuffer> sampleWindows() throws IOException {
    Set<ByteBuffer> windows = new HashSet<>();
    try (Stream<Path> files = Files.walk(mirror)) {
      for (Path parquet : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        ParquetSamples.forEach(parquet, "x", 0, sample -> windows.add(middle(sample.data())));
      }
    }
    assertTrue(windows.size() > 1000, "too few distinct sample windows: " + windows.size());
    return windows;
  }

  /** Windows spread over the decrypted model parameters. */
  private static Set<ByteBuffer> modelWindows() throws IOException {
    EncryptedFolder model = EncryptedFolder.open(models, openStore());
    byte[] params;
    try (InputStream in = model.newInputStream("model.params")) {
      params = in.readAllBytes();
    }
    Set<ByteBuffer> windows = new HashSet<>();
    for (int at = params.length / 10; at + WINDOW < params.length; at += params.length / 10) {
      windows.add(ByteBuffer.wrap(params, at, WINDOW).slice());
    }
    assertTrue(windows.size() >= 8);
    return windows;
  }

  private static ByteBuffer middle(byte[] data) {
    int from = Math.max(0, data.length / 2 - WINDOW / 2);
    return ByteBuffer.wrap(data.clone(), from, Math.min(WINDOW, data.length - from)).slice();
  }

  /** Every file under {@code root}, but the Hub cache and the mirror, holding a window. */
  private static List<Path> filesHolding(Path root, Set<ByteBuffer> windows) {
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(file).toString();
        if (relative.startsWith("hf-cache") || relative.startsWith("hub")) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int at = 0; at + WINDOW <= bytes.length; at++) {
          if (windows.contains(ByteBuffer.wrap(bytes, at, WINDOW).slice())) {
            holding.add(file);
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return holding;
  }
}
