package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.dataset.Sample;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;

/**
 * The whole pipeline, as a user runs it: sentry-dataset (through the loopback Hub mirror),
 * sentry-trainer, sentry-inferencer; then every tampering the issue names, each on a fresh copy.
 */
@Tag(TestTags.E2E)
class AgentsEndToEndTest {
  @TempDir static Path prepared;
  @TempDir Path work;

  private Path dataset;
  private Path models;
  private Path signatures;
  private Path keys;

  @BeforeAll
  static void prepareTrainAndSign() throws Exception {
    Path mirror = Pipeline.tinyMirror(prepared);
    Pipeline.Run made =
        Pipeline.dataset(
            "sentryml/mnist-tiny",
            "6",
            "0.8",
            prepared.resolve("dataset/mnist-tiny").toString(),
            "--hub-mirror",
            mirror.toString(),
            "--cache-dir",
            prepared.resolve("hf-cache").toString(),
            "--quiet");
    assertEquals(0, made.exitCode(), made.all());
    assertEquals(0, Pipeline.keygen(prepared.resolve("keys")).exitCode());
    assertEquals(0, Pipeline.keygen(prepared.resolve("other-keys")).exitCode());
    Pipeline.Run trained =
        Pipeline.trainer(
            "--sig_out",
            prepared.resolve("signatures").toString(),
            "--model_path",
            prepared.resolve("models").toString(),
            "--dataset",
            prepared.resolve("dataset/mnist-tiny").toString(),
            "--epochs",
            "1",
            "--quiet",
            "private-key",
            "--private_key",
            prepared.resolve("keys/private.pem").toString());
    assertEquals(0, trained.exitCode(), trained.all());
  }

  @BeforeEach
  void freshCopy() throws IOException {
    TestFiles.copyTree(prepared, work, StandardCopyOption.REPLACE_EXISTING);
    dataset = work.resolve("dataset/mnist-tiny");
    models = work.resolve("models");
    signatures = work.resolve("signatures");
    keys = work.resolve("keys");
  }

  @Test
  void cleanRunVerifiesAndReportsAccuracy() {
    Pipeline.Run run = infer();
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("accuracy on test:"), run.out());
    assertTrue(
        run.out().contains("verified " + models + ", 6 data sources and the provenance"),
        run.out());
  }

  @Test
  void trainerSignedEveryPieceIntoTheSignatureFolder() {
    for (String name :
        List.of("model.sig", "provenance.sig", "dataset_source-00.sig", "dataset_source-05.sig")) {
      assertTrue(Files.isRegularFile(signatures.resolve(name)), name);
    }
  }

  @Test
  void changedPixelInSourceThreeFailsNamingIt() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Sample first = samples.get(0);
          samples.set(
              0,
              new Sample(
                  first.key(), first.label(), withOnePixelChanged(first.data()), first.kind()));
          return samples;
        });
    assertFailsNaming(infer(), "source-03");
  }

  @Test
  void flippedLabelInSourceThreeFailsNamingIt() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Sample first = samples.get(0);
          samples.set(
              0, new Sample(first.key(), (first.label() + 1) % 10, first.data(), first.kind()));
          return samples;
        });
    assertFailsNaming(infer(), "source-03");
  }

  @Test
  void deletedSampleFailsNamingSourceThree() {
    Pipeline.editShard(shard(3), samples -> samples.subList(1, samples.size()));
    assertFailsNaming(infer(), "source-03");
  }

  @Test
  void addedSampleFailsNamingSourceThree() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Sample first = samples.get(0);
          samples.add(new Sample("train/99999999", first.label(), first.data(), first.kind()));
          return samples;
        });
    assertFailsNaming(infer(), "source-03");
  }

  @Test
  void reorderedShardStillVerifiesAndItsChangedFileIsReported() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Collections.shuffle(samples, new Random(5));
          return samples;
        });
    Pipeline.Run run = infer();
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(
        run.out().contains("note: shard source-03 (source-03.tar): manifest.json records"),
        run.out());
    assertFalse(run.out().contains("note: shard source-02"), run.out());
  }

  @Test
  void sampleUnderASplitFolderNoSignatureCoversFailsNamingShardAndMember() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Sample first = samples.get(0);
          samples.add(new Sample("extra/00000001", first.label(), first.data(), first.kind()));
          return samples;
        });
    Pipeline.Run run = infer();
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("source-03.tar holds member extra/00000001.png"), run.err());
  }

  @Test
  void memberAtTheShardRootFailsNamingIt() {
    Pipeline.editShard(
        shard(3),
        samples -> {
          Sample first = samples.get(0);
          samples.add(new Sample("00000001", first.label(), first.data(), first.kind()));
          return samples;
        });
    Pipeline.Run run = infer();
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(
        run.err().contains("source-03.tar holds member 00000001.png at the root of the archive"),
        run.err());
  }

  @Test
  void jsonFileIsWrittenOnEveryExitPathWithTheCodeAndTheReason() throws IOException {
    Path report = work.resolve("report.json");
    Pipeline.Run wrongKey =
        Pipeline.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--json",
            report.toString(),
            "--quiet",
            "private-key",
            "--public_key",
            work.resolve("other-keys/public.pem").toString());
    assertEquals(1, wrongKey.exitCode(), wrongKey.all());
    assertReport(report, 1, "another key");

    Files.write(shard(2), java.util.Arrays.copyOf(Files.readAllBytes(shard(2)), 30_000));
    Pipeline.Run badShard =
        Pipeline.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--json",
            report.toString(),
            "--quiet",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(3, badShard.exitCode(), badShard.all());
    assertReport(report, 3, "source-02.tar");

    Pipeline.Run usage =
        Pipeline.inferencer(
            "--sig_path", signatures.toString(), "--json", report.toString(), "private-key");
    assertEquals(2, usage.exitCode(), usage.all());
    assertReport(report, 2, "--public_key");
  }

  @Test
  void aFailureIsPrintedOnce() {
    Pipeline.Run run =
        Pipeline.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--quiet",
            "private-key",
            "--public_key",
            work.resolve("other-keys/public.pem").toString());
    assertEquals(1, run.exitCode(), run.all());
    assertEquals(1, run.all().split("signed by another key", -1).length - 1, run.all());
    assertEquals(1, run.all().lines().count(), run.all());
  }

  @Test
  void trainerWithAnUnwritableSigOutFailsBeforeTrainingAndKeepsTheSignedModel() throws IOException {
    byte[] params = Files.readAllBytes(models.resolve("model.params"));
    Path blocked = Files.writeString(work.resolve("a-file"), "not a folder");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            blocked.resolve("signatures").toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--seed",
            "3",
            "--quiet",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertTrue(run.exitCode() != 0, run.all());
    assertTrue(run.err().contains("nothing was trained"), run.err());
    assertArrayEquals(params, Files.readAllBytes(models.resolve("model.params")));
    assertEquals(0, infer().exitCode(), "model and signatures are still in step");
  }

  @Test
  void retrainingReplacesModelAndSignaturesTogether() throws IOException {
    Files.copy(
        signatures.resolve("dataset_source-05.sig"), signatures.resolve("dataset_source-99.sig"));
    Files.writeString(signatures.resolve("notes.txt"), "kept");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--seed",
            "3",
            "--quiet",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, run.exitCode(), run.all());
    assertFalse(
        Files.exists(signatures.resolve("dataset_source-99.sig")),
        "a source the model was not trained on");
    assertEquals("kept", Files.readString(signatures.resolve("notes.txt")));
    for (Path folder : List.of(work, signatures)) {
      try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
        assertEquals(
            List.of(),
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
            "staging left in " + folder);
      }
    }
    Pipeline.Run inferred = infer();
    assertEquals(0, inferred.exitCode(), inferred.all());
  }

  @Test
  void trainerRefusesAModelFolderHoldingSomeoneElsesFiles() throws IOException {
    Files.writeString(models.resolve("README.md"), "mine");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            work.resolve("fresh-signatures").toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--quiet",
            "--json",
            "skip");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("README.md"), run.err());
    JsonObject failure = JsonParser.parseString(run.out()).getAsJsonObject();
    assertEquals(2, failure.get("exit_code").getAsInt());
    assertTrue(failure.get("error").getAsString().contains("README.md"), run.out());
    assertEquals("mine", Files.readString(models.resolve("README.md")));
  }

  @Test
  void sampleMovedFromSourceThreeToFourFailsNamingBoth() {
    Sample[] moved = new Sample[1];
    Pipeline.editShard(
        shard(3),
        samples -> {
          moved[0] = samples.remove(0);
          return samples;
        });
    Pipeline.editShard(
        shard(4),
        samples -> {
          samples.add(moved[0]);
          return samples;
        });
    Pipeline.Run run = infer();
    assertFailsNaming(run, "source-03");
    assertTrue(run.err().contains("source-04"), run.err());
  }

  @Test
  void changedModelByteFailsBeforeInference() throws IOException {
    Path params = models.resolve("model.params");
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length / 2] ^= 1;
    Files.write(params, bytes);
    Pipeline.Run run = infer();
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("model.params"), run.err());
    assertTrue(run.err().contains("no inference was run"), run.err());
    assertFalse(run.all().contains("accuracy on"), run.all());
  }

  @Test
  void signatureFromAnotherKeyFails() {
    Pipeline.Run run =
        Pipeline.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--quiet",
            "private-key",
            "--public_key",
            work.resolve("other-keys/public.pem").toString());
    assertEquals(1, run.exitCode(), run.all());
    assertFalse(run.all().contains("accuracy on"), run.all());
  }

  @Test
  void trainerRefusesToSignDataChangedSincePreparation() throws IOException {
    Pipeline.editShard(shard(3), samples -> samples.subList(1, samples.size()));
    Path freshSignatures = work.resolve("fresh-signatures");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            freshSignatures.toString(),
            "--model_path",
            work.resolve("fresh-models").toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--quiet",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("source-03 (source-03.tar): manifest.json records"), run.err());
    assertTrue(run.err().contains("nothing was trained"), run.err());
    assertFalse(Files.exists(freshSignatures.resolve("model.sig")), "nothing is signed");
    assertFalse(Files.exists(work.resolve("fresh-models")), "no model is saved");
  }

  @Test
  void anotherShuffleSeedSignsTheSameDatasetDigests() throws IOException {
    Path other = work.resolve("other-seed-signatures");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            other.toString(),
            "--model_path",
            work.resolve("other-models").toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--seed",
            "7",
            "--quiet",
            "skip");
    assertEquals(0, run.exitCode(), run.all());
    Pipeline.Run unsigned =
        Pipeline.trainer(
            "--sig_out",
            work.resolve("same-seed").toString(),
            "--model_path",
            work.resolve("same-models").toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--quiet",
            "skip");
    assertEquals(0, unsigned.exitCode(), unsigned.all());
    assertArrayEquals(
        Files.readAllBytes(work.resolve("same-seed/dataset_source-03.sig")),
        Files.readAllBytes(other.resolve("dataset_source-03.sig")));
  }

  @Test
  void provenanceOfAnotherTrainingRunFailsBeforeInference() throws IOException {
    Path other = work.resolve("other-signatures");
    Pipeline.Run run =
        Pipeline.trainer(
            "--sig_out",
            other.toString(),
            "--model_path",
            work.resolve("other-models").toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--seed",
            "9",
            "--quiet",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, run.exitCode(), run.all());
    Files.copy(
        other.resolve("provenance.sig"),
        signatures.resolve("provenance.sig"),
        StandardCopyOption.REPLACE_EXISTING);
    Pipeline.Run inferred = infer();
    assertEquals(1, inferred.exitCode(), inferred.all());
    assertTrue(inferred.err().contains("provenance: binds model root"), inferred.err());
    assertTrue(inferred.err().contains("no inference was run"), inferred.err());
  }

  @Test
  void jsonReportNamesTheDifferingSource() {
    Pipeline.editShard(shard(2), samples -> samples.subList(1, samples.size()));
    Pipeline.Run run =
        Pipeline.inferencer(
            "--sig_path",
            signatures.toString(),
            "--model_path",
            models.toString(),
            "--dataset",
            dataset.toString(),
            "--json",
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(1, run.exitCode(), run.all());
    JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
    assertFalse(report.get("ok").getAsBoolean());
    assertEquals(1, report.get("exit_code").getAsInt());
    assertTrue(report.get("error").getAsString().contains("source-02"), run.out());
    JsonObject source = report.getAsJsonArray("sources").get(2).getAsJsonObject();
    assertEquals("source-02", source.get("source").getAsString());
    assertFalse(source.get("ok").getAsBoolean());
    JsonObject difference = source.getAsJsonArray("differences").get(0).getAsJsonObject();
    assertEquals("source-02.tar", difference.get("shard").getAsString());
    assertEquals(
        difference.getAsJsonObject("expected").get("samples").getAsLong() - 1,
        difference.getAsJsonObject("actual").get("samples").getAsLong());
  }

  private static void assertReport(Path report, int exitCode, String reason) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
    assertFalse(json.get("ok").getAsBoolean(), json.toString());
    assertEquals(exitCode, json.get("exit_code").getAsInt(), json.toString());
    assertTrue(json.get("error").getAsString().contains(reason), json.toString());
  }

  private Pipeline.Run infer() {
    return Pipeline.inferencer(
        "--sig_path",
        signatures.toString(),
        "--model_path",
        models.toString(),
        "--dataset",
        dataset.toString(),
        "--quiet",
        "private-key",
        "--public_key",
        keys.resolve("public.pem").toString());
  }

  private Path shard(int source) {
    return dataset.resolve(String.format(Locale.ROOT, "source-%02d.tar", source));
  }

  private static void assertFailsNaming(Pipeline.Run run, String source) {
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("dataset: " + source + " (" + source + ".tar)"), run.err());
    assertTrue(
        run.err().contains("verification failed: the data streamed differs from its signatures in"),
        run.err());
  }

  private static byte[] withOnePixelChanged(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      image.getRaster().setSample(14, 14, 0, 255 - image.getRaster().getSample(14, 14, 0));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
