package org.sentryml.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.signing.Unsigned;
import org.sentryml.testkit.TestFiles;

/**
 * The facade plans and checks signatures before it opens an engine, and hands out only verified
 * bytes.
 */
class ModelsTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);
  private static final Serialization MERKLE =
      Serialization.merkle(HashAlgorithm.SHA256, 4096, Workflow.LAYERED, false, List.of());

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private Path model() {
    Path model = dir.resolve("model");
    TestFiles.write(model.resolve("weights.bin"), TestFiles.randomBytes(1, 10_000));
    TestFiles.write(model.resolve("config.json"), "{}".getBytes(StandardCharsets.UTF_8));
    return model;
  }

  private static OnDemandEngine shared() {
    return new OnDemandEngine(() -> ENGINE);
  }

  @Test
  void signThenVerifyOnDiskMatches() {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    Models.sign(ModelPlan.of(model, MERKLE), new Unsigned(), signature, false, shared());
    Verification result =
        Models.verify(model, signature, new Unsigned(), List.of(), false, shared());
    assertTrue(result.ok(), result.diff().describe().toString());
  }

  @Test
  void noEngineIsOpenedForAStatementThatDoesNotParse() throws Exception {
    Path model = model();
    Path signature = Files.writeString(dir.resolve("model.sig"), "{\"_type\":");
    OnDemandEngine engine = shared();
    assertThrows(
        MalformedInputException.class,
        () -> Models.verify(model, signature, new Unsigned(), List.of(), false, engine));
    assertFalse(engine.opened(), "the engine was opened before the signature was checked");
  }

  @Test
  void noEngineIsOpenedForAModelThatCannotBePlanned() {
    OnDemandEngine engine = shared();
    assertThrows(
        RuntimeException.class,
        () -> Models.manifest(ModelPlan.of(dir.resolve("missing"), MERKLE), engine));
    assertFalse(engine.opened());
  }

  @Test
  void verifyAndLoadHandsOutTheVerifiedBytesOnly() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    Models.sign(ModelPlan.of(model, MERKLE), new Unsigned(), signature, false, shared());
    LoadedModel.Verified verified =
        assertInstanceOf(
            LoadedModel.Verified.class,
            Models.verifyAndLoad(model, signature, new Unsigned(), shared()));
    ByteBuffer weights = verified.files().get("weights.bin");
    byte[] bytes = new byte[weights.remaining()];
    weights.duplicate().get(bytes);
    assertArrayEquals(Files.readAllBytes(model.resolve("weights.bin")), bytes);

    Files.writeString(model.resolve("config.json"), "{\"changed\": true}");
    LoadedModel.Rejected rejected =
        assertInstanceOf(
            LoadedModel.Rejected.class,
            Models.verifyAndLoad(model, signature, new Unsigned(), shared()));
    assertEquals(
        List.of("config.json"), rejected.diff().changed().stream().map(c -> c.name()).toList());
  }

  @Test
  void safetensorsFileThatNoLongerParsesFailsVerificationRatherThanReadingAsBadInput() {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    Models.sign(
        ModelPlan.of(
            model,
            Serialization.merkle(HashAlgorithm.SHA256, 4096, Workflow.INPLACE, false, List.of())),
        new Unsigned(),
        signature,
        false,
        shared());
    TestFiles.write(model.resolve("x.safetensors"), new byte[] {1, 2, 3});
    OnDemandEngine engine = shared();
    assertThrows(
        VerificationFailedException.class,
        () -> Models.verify(model, signature, new Unsigned(), List.of(), false, engine));
    assertFalse(engine.opened());
  }
}
