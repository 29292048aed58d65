package org.sentryml.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
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
import org.sentryml.testkit.TestTags;

/**
 * Lazy range verification: a leaf sidecar checked against the signed root lets single tensors of a
 * multi-GB safetensors file be verified while reading a tiny part of it, and any tampering with the
 * sidecar or the bytes is caught.
 */
class LazyRangeVerificationTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);
  private static final long TENSOR = 1L << 30;

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private static OnDemandEngine shared() {
    return new OnDemandEngine(() -> ENGINE);
  }

  /** A sparse 3 GiB safetensors file: three 1 GiB U8 tensors with a marker in each. */
  private static long[] writeLargeSafetensors(Path file) throws IOException {
    String json =
        String.format(
            Locale.ROOT,
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[%d],\"data_offsets\":[0,%d]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[%d],\"data_offsets\":[%d,%d]},"
                + "\"c\":{\"dtype\":\"U8\",\"shape\":[%d],\"data_offsets\":[%d,%d]}}",
            TENSOR,
            TENSOR,
            TENSOR,
            TENSOR,
            2 * TENSOR,
            TENSOR,
            2 * TENSOR,
            3 * TENSOR);
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    long dataStart = 8L + header.length;
    Files.createDirectories(file.getParent());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      raf.write(header);
      raf.setLength(dataStart + 3 * TENSOR);
      for (int t = 0; t < 3; t++) {
        raf.seek(dataStart + t * TENSOR + 12345);
        raf.write(("tensor " + t).getBytes(StandardCharsets.UTF_8));
      }
    }
    return new long[] {dataStart, dataStart + TENSOR, dataStart + 2 * TENSOR};
  }

  private static Serialization merkle(Workflow workflow) {
    return Serialization.merkle(HashAlgorithm.SHA256, 65536, workflow, false, List.of());
  }

  @Test
  @Tag(TestTags.SLOW)
  void singleTensorsOfAMultiGigabyteFileVerifyWhileReadingUnderOnePercent() throws IOException {
    Path model = dir.resolve("model");
    Path file = model.resolve("model.safetensors");
    long[] starts = writeLargeSafetensors(file);
    Path signature = dir.resolve("model.sig");
    Path sidecar = LeafSidecar.besides(signature);
    Models.sign(
        ModelPlan.of(model, merkle(Workflow.LAYERED)),
        new Unsigned(),
        signature,
        false,
        shared(),
        new SignOptions(sidecar, null, null));
    long size = Files.size(file);
    assertTrue(Files.size(sidecar) < size / 1000, "the sidecar is about 0.05% of the model");
    // A small slice of each tensor (as a loader reads a row) and one whole 1 GiB tensor's start.
    for (long start : starts) {
      FileRangeVerification check =
          Models.verifyRange(
              model,
              signature,
              new Unsigned(),
              sidecar,
              List.of(),
              false,
              "model.safetensors",
              start + 10_000,
              start + 10_000 + 3 * 65536);
      assertTrue(
          check.bytesRead() < size / 100,
          "read " + check.bytesRead() + " bytes of " + size + " to verify one tensor slice");
      assertEquals(check.bytesRead(), check.checks().get(0).bytesHashed());
    }
    // The bytes are really checked: a changed byte inside a verified range fails, outside it not.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(starts[1] + 12345);
      raf.write('X');
    }
    assertThrows(
        VerificationFailedException.class,
        () ->
            Models.verifyRange(
                model,
                signature,
                new Unsigned(),
                sidecar,
                List.of(),
                false,
                "model.safetensors",
                starts[1],
                starts[1] + 20_000));
    Models.verifyRange(
        model,
        signature,
        new Unsigned(),
        sidecar,
        List.of(),
        false,
        "model.safetensors",
        starts[2],
        starts[2] + 20_000);
  }

  private Path smallModel(Workflow workflow, Path signature) {
    Path model = dir.resolve("small");
    TestFiles.write(model.resolve("weights.bin"), TestFiles.randomBytes(3, 1_000_000));
    TestFiles.write(model.resolve("README.md"), "hello".getBytes(StandardCharsets.UTF_8));
    Models.sign(
        ModelPlan.of(model, merkle(workflow)),
        new Unsigned(),
        signature,
        false,
        shared(),
        new SignOptions(LeafSidecar.besides(signature), null, null));
    return model;
  }

  @Test
  void rangesAtEveryBoundaryVerifyAndCountOnlyTheirLeaves() {
    Path signature = dir.resolve("small.sig");
    Path model = smallModel(Workflow.LAYERED, signature);
    Path sidecar = LeafSidecar.besides(signature);
    long[][] ranges = {{0, 1}, {65535, 65537}, {0, 1_000_000}, {999_999, 1_000_000}, {5, 5}};
    for (long[] r : ranges) {
      FileRangeVerification check =
          Models.verifyRange(
              model,
              signature,
              new Unsigned(),
              sidecar,
              List.of(),
              false,
              "weights.bin",
              r[0],
              r[1]);
      if (r[0] == r[1]) {
        assertTrue(check.checks().isEmpty(), "an empty range needs no leaf");
        continue;
      }
      long first = r[0] / 65536;
      long last = (r[1] - 1) / 65536 + 1;
      assertEquals(last - first, check.checks().get(0).leaves(), r[0] + ".." + r[1]);
      assertEquals(
          Math.min(last * 65536, 1_000_000) - first * 65536,
          check.bytesRead(),
          "exactly the covering leaves are read");
    }
  }

  @Test
  void aSidecarWhoseLeavesDoNotHashToTheSignedRootIsRefused() throws IOException {
    Path signature = dir.resolve("small.sig");
    Path model = smallModel(Workflow.LAYERED, signature);
    Path sidecar = LeafSidecar.besides(signature);
    byte[] bytes = Files.readAllBytes(sidecar);
    bytes[bytes.length - 40] ^= 1; // a digest of weights.bin's leaves (README comes first)
    Files.write(sidecar, bytes);
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () ->
                Models.verifyRange(
                    model,
                    signature,
                    new Unsigned(),
                    sidecar,
                    List.of(),
                    false,
                    "weights.bin",
                    0,
                    10));
    assertTrue(e.getMessage().contains("do not hash to its signed digest"), e.getMessage());
  }

  @Test
  void aTruncatedOrForeignSidecarIsBadInput() throws IOException {
    Path signature = dir.resolve("small.sig");
    Path model = smallModel(Workflow.LAYERED, signature);
    Path sidecar = LeafSidecar.besides(signature);
    byte[] bytes = Files.readAllBytes(sidecar);
    Files.write(sidecar, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertThrows(
        MalformedInputException.class,
        () ->
            Models.verifyRange(
                model, signature, new Unsigned(), sidecar, List.of(), false, "weights.bin", 0, 10));
    Files.writeString(sidecar, "not a sidecar");
    assertThrows(
        MalformedInputException.class,
        () ->
            Models.verifyRange(
                model, signature, new Unsigned(), sidecar, List.of(), false, "weights.bin", 0, 10));
  }

  @Test
  void inplaceTensorsVerifyThroughTheirOwnLeavesAfterTheHeader() {
    Path signature = dir.resolve("inplace.sig");
    Path model = dir.resolve("inplace");
    java.util.LinkedHashMap<String, byte[]> tensors = new java.util.LinkedHashMap<>();
    tensors.put("w1", TestFiles.randomBytes(4, 300_000));
    tensors.put("w2", TestFiles.randomBytes(5, 200_000));
    byte[] file = org.sentryml.testkit.Safetensors.build(tensors);
    TestFiles.write(model.resolve("m.safetensors"), file);
    Models.sign(
        ModelPlan.of(model, merkle(Workflow.INPLACE)),
        new Unsigned(),
        signature,
        false,
        shared(),
        new SignOptions(LeafSidecar.besides(signature), null, null));
    long end = file.length;
    FileRangeVerification check =
        Models.verifyRange(
            model,
            signature,
            new Unsigned(),
            LeafSidecar.besides(signature),
            List.of(),
            false,
            "m.safetensors",
            end - 250_000,
            end - 1000);
    List<String> names = check.checks().stream().map(SignedLeaves.RangeCheck::resource).toList();
    assertEquals(
        List.of("m.safetensors#__header__", "m.safetensors#w1", "m.safetensors#w2"), names);
  }
}
