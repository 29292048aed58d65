package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.model.Models;
import org.sentryml.core.testing.NaiveMerkle;
import org.sentryml.testkit.Safetensors;
import org.sentryml.testkit.TestFiles;

class ResourcePlannerTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);
  private static final HashingOptions MERKLE = HashingOptions.merkle(HashAlgorithm.SHA256, 4096);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private Map<String, Digest> hash(Path model, Workflow workflow) {
    return Models.hash(
            model,
            IgnoreRules.defaultsPlus(List.of()),
            false,
            workflow,
            MERKLE,
            new OnDemandEngine(() -> ENGINE))
        .resources()
        .stream()
        .collect(
            Collectors.toMap(
                ResourceDigest::name, ResourceDigest::digest, (a, b) -> a, LinkedHashMap::new));
  }

  private static SequencedMap<String, byte[]> tensors() {
    LinkedHashMap<String, byte[]> tensors = new LinkedHashMap<>();
    tensors.put("layer.weight", TestFiles.randomBytes(1, 10_000));
    tensors.put("layer.bias", TestFiles.randomBytes(2, 33));
    tensors.put("empty", new byte[0]);
    return tensors;
  }

  @Test
  void inplaceDigestsEachTensorExactlyOverItsOwnBytes() {
    SequencedMap<String, byte[]> tensors = tensors();
    Path model = dir.resolve("model");
    TestFiles.write(model.resolve("model.safetensors"), Safetensors.build(tensors));
    TestFiles.write(
        model.resolve("config.json"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Map<String, Digest> digests = hash(model, Workflow.INPLACE);
    assertEquals(
        List.of(
            "config.json",
            "model.safetensors#__header__",
            "model.safetensors#empty",
            "model.safetensors#layer.bias",
            "model.safetensors#layer.weight"),
        List.copyOf(digests.keySet()));
    for (Map.Entry<String, byte[]> tensor : tensors.entrySet()) {
      assertArrayEquals(
          NaiveMerkle.treeHash(HashAlgorithm.SHA256, tensor.getValue(), 4096),
          digests.get("model.safetensors#" + tensor.getKey()).value(),
          tensor.getKey());
    }
  }

  @Test
  void editingOneTensorChangesOnlyThatTensorsDigest() throws Exception {
    SequencedMap<String, byte[]> tensors = tensors();
    Path model = dir.resolve("model");
    Path file = TestFiles.write(model.resolve("model.safetensors"), Safetensors.build(tensors));
    Map<String, Digest> before = hash(model, Workflow.INPLACE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1; // last byte of layer.bias
    Files.write(file, bytes);
    Map<String, Digest> after = hash(model, Workflow.INPLACE);
    for (String name : before.keySet()) {
      if (name.endsWith("#layer.bias")) {
        assertNotEquals(before.get(name), after.get(name), name);
      } else {
        assertEquals(before.get(name), after.get(name), name);
      }
    }
  }

  @Test
  void editedHeaderIsCaughtEvenWhenNoTensorByteChanged() throws Exception {
    Path model = dir.resolve("model");
    Path file = TestFiles.write(model.resolve("model.safetensors"), Safetensors.build(tensors()));
    Map<String, Digest> before = hash(model, Workflow.INPLACE);
    String text =
        Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)
            .replace("\"U8\"", "\"I8\"");
    Files.writeString(file, text, java.nio.charset.StandardCharsets.ISO_8859_1);
    Map<String, Digest> after = hash(model, Workflow.INPLACE);
    assertNotEquals(
        before.get("model.safetensors#__header__"), after.get("model.safetensors#__header__"));
    assertEquals(
        before.get("model.safetensors#layer.weight"), after.get("model.safetensors#layer.weight"));
  }

  @Test
  void malformedSafetensorsHeaderIsBadInput() {
    Path model = dir.resolve("model");
    TestFiles.write(
        model.resolve("broken.safetensors"), new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1});
    SentryException e = assertThrows(SentryException.class, () -> hash(model, Workflow.INPLACE));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void coalescedBindsFileNamesAndBoundaries() {
    Path a = dir.resolve("a");
    TestFiles.write(a.resolve("x"), "hello ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TestFiles.write(a.resolve("y"), "world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path b = dir.resolve("b");
    TestFiles.write(b.resolve("x"), "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TestFiles.write(b.resolve("y"), " world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path c = dir.resolve("c");
    TestFiles.write(c.resolve("x"), "hello ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TestFiles.write(c.resolve("z"), "world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Function<Path, Digest> coalesced = p -> hash(p, Workflow.COALESCED).get(".");
    assertNotEquals(coalesced.apply(a), coalesced.apply(b));
    assertNotEquals(coalesced.apply(a), coalesced.apply(c));
    assertEquals(List.of("."), List.copyOf(hash(a, Workflow.COALESCED).keySet()));
  }

  @Test
  void layeredNamesAreRelativePosixPathsInCodePointOrder() {
    Path model = dir.resolve("m");
    for (String name : List.of("b", "a/z", "a/b/c", "\uD83D\uDE00", "\uFFFD", ".git/config", "A")) {
      TestFiles.write(model.resolve(name), name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    // U+FFFD sorts before U+1F600 by code point although its UTF-16 unit is larger.
    assertEquals(
        List.of("A", "a/b/c", "a/z", "b", "\uFFFD", "\uD83D\uDE00"),
        List.copyOf(hash(model, Workflow.LAYERED).keySet()));
  }

  @Test
  void singleFileModelIsNamedDot() {
    Path file = TestFiles.write(dir.resolve("one.bin"), new byte[] {1, 2, 3});
    assertEquals(List.of("."), List.copyOf(hash(file, Workflow.LAYERED).keySet()));
  }
}
