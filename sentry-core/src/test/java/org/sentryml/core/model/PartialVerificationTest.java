package org.sentryml.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.signing.Unsigned;
import org.sentryml.testkit.Safetensors;
import org.sentryml.testkit.TestFiles;

/** Verify only what you load: the named resources are hashed, the rest are not even read. */
class PartialVerificationTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private static OnDemandEngine shared() {
    return new OnDemandEngine(() -> ENGINE);
  }

  private Path signed(Workflow workflow, Path signature) {
    Path model = dir.resolve("model");
    LinkedHashMap<String, byte[]> tensors = new LinkedHashMap<>();
    tensors.put("embed", TestFiles.randomBytes(1, 50_000));
    tensors.put("head", TestFiles.randomBytes(2, 20_000));
    TestFiles.write(model.resolve("model.safetensors"), Safetensors.build(tensors));
    TestFiles.write(model.resolve("other.bin"), TestFiles.randomBytes(3, 30_000));
    TestFiles.write(model.resolve("config.json"), "{}".getBytes(StandardCharsets.UTF_8));
    Models.sign(
        ModelPlan.of(
            model, Serialization.merkle(HashAlgorithm.SHA256, 4096, workflow, false, List.of())),
        new Unsigned(),
        signature,
        false,
        shared());
    return model;
  }

  @Test
  void onlyTheNamedFilesAreCheckedAndAChangeElsewhereGoesUnread() {
    Path signature = dir.resolve("model.sig");
    Path model = signed(Workflow.LAYERED, signature);
    TestFiles.write(model.resolve("other.bin"), TestFiles.randomBytes(9, 30_000));
    PartialVerification result =
        Models.verifyOnly(
            model, signature, new Unsigned(), List.of(), false, List.of("config.json"), shared());
    assertTrue(result.ok(), result.diff().describe().toString());
    assertEquals(List.of("config.json"), result.checked());
    assertEquals(2, result.notChecked());
    PartialVerification other =
        Models.verifyOnly(
            model, signature, new Unsigned(), List.of(), false, List.of("other.bin"), shared());
    assertFalse(other.ok());
    assertEquals("other.bin", other.diff().changed().get(0).name());
  }

  @Test
  void aFileOfTheInplaceWorkflowSelectsItsTensorsAndHeaderAndATensorItself() {
    Path signature = dir.resolve("model.sig");
    Path model = signed(Workflow.INPLACE, signature);
    PartialVerification file =
        Models.verifyOnly(
            model,
            signature,
            new Unsigned(),
            List.of(),
            false,
            List.of("model.safetensors"),
            shared());
    assertEquals(
        List.of(
            "model.safetensors#__header__", "model.safetensors#embed", "model.safetensors#head"),
        file.checked());
    PartialVerification tensor =
        Models.verifyOnly(
            model,
            signature,
            new Unsigned(),
            List.of(),
            false,
            List.of("model.safetensors#head"),
            shared());
    assertTrue(tensor.ok());
    assertEquals(List.of("model.safetensors#head"), tensor.checked());
  }

  @Test
  void aNameTheSignatureDoesNotCoverFailsVerification() {
    Path signature = dir.resolve("model.sig");
    Path model = signed(Workflow.LAYERED, signature);
    TestFiles.write(model.resolve("added.bin"), TestFiles.randomBytes(4, 10));
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () ->
                Models.verifyOnly(
                    model,
                    signature,
                    new Unsigned(),
                    List.of(),
                    false,
                    List.of("added.bin"),
                    shared()));
    assertTrue(e.getMessage().contains("not covered by the signature"), e.getMessage());
  }
}
