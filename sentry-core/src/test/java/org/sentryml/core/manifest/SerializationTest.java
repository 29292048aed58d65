package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;

class SerializationTest {
  private static final List<String> NONE = List.of();

  @Test
  void files_hashEachFilePlainlyAndRecordNoSizes() {
    Serialization files =
        new Serialization(
            SerializationMethod.FILES,
            HashAlgorithm.BLAKE2B,
            77,
            65536,
            Workflow.INPLACE,
            false,
            NONE);
    assertEquals("blake2b", files.resourceAlgorithm());
    assertEquals(HashingOptions.flat(HashAlgorithm.BLAKE2B), files.hashingOptions());
    assertEquals(0, files.shardSize());
    assertEquals(0, files.leafSize());
    assertEquals(Workflow.LAYERED, files.workflow(), "OMS methods are always per file");
  }

  @Test
  void shards_nameTheShardSizeInTheResourceAlgorithm() {
    assertEquals(
        "sha256-sharded-1000000000",
        Serialization.shards(HashAlgorithm.SHA256, Serialization.DEFAULT_SHARD_SIZE, false, NONE)
            .resourceAlgorithm());
    Serialization small = Serialization.shards(HashAlgorithm.BLAKE2B, 8, false, NONE);
    assertEquals("blake2b-sharded-8", small.resourceAlgorithm());
    assertEquals(
        HashingOptions.flat(HashAlgorithm.BLAKE2B),
        small.hashingOptions(),
        "each shard is hashed plainly");
    assertEquals(8, small.shardSize());
    assertEquals(0, small.leafSize());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void shards_refuseAShardSizeThatIsNotPositive(long shardSize) {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> Serialization.shards(HashAlgorithm.SHA256, shardSize, false, NONE));
    assertEquals("shard size must be positive, not " + shardSize, e.getMessage());
  }

  @Test
  void shards_ofOneByteAreAllowed() {
    assertEquals(1, Serialization.shards(HashAlgorithm.SHA256, 1, false, NONE).shardSize());
  }

  @ParameterizedTest
  @EnumSource(
      value = HashAlgorithm.class,
      names = {"SHA3_256", "BLAKE2XB"})
  void omsMethods_refuseAlgorithmsModelSigningDoesNotHave(HashAlgorithm algorithm) {
    UsageException files =
        assertThrows(UsageException.class, () -> Serialization.files(algorithm, false, NONE));
    assertEquals(
        "the files method hashes with sha256 or blake2b, not " + algorithm.id(),
        files.getMessage());
    UsageException shards =
        assertThrows(UsageException.class, () -> Serialization.shards(algorithm, 8, false, NONE));
    assertEquals(
        "the shards method hashes with sha256 or blake2b, not " + algorithm.id(),
        shards.getMessage());
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void merkle_namesItsAlgorithmAndLeafSizeAndKeepsItsWorkflow(HashAlgorithm algorithm) {
    Serialization merkle = Serialization.merkle(algorithm, 4096, Workflow.INPLACE, false, NONE);
    assertEquals(algorithm.id() + "-merkle-4096", merkle.resourceAlgorithm());
    assertEquals(HashingOptions.merkle(algorithm, 4096), merkle.hashingOptions());
    assertEquals(Workflow.INPLACE, merkle.workflow());
    assertEquals(0, merkle.shardSize());
  }

  @Test
  void lattice_alwaysExpandsWithBlake2xbAndNamesItsChunkSize() {
    Serialization lattice = Serialization.lattice(65536, Workflow.COALESCED, false, NONE);
    assertEquals(HashAlgorithm.BLAKE2XB, lattice.hashType());
    assertEquals("lthash16x1024-blake2xb-65536", lattice.resourceAlgorithm());
    assertEquals(HashingOptions.lattice(65536), lattice.hashingOptions());
    assertThrows(
        UsageException.class,
        () ->
            new Serialization(
                SerializationMethod.LATTICE,
                HashAlgorithm.SHA256,
                0,
                65536,
                Workflow.LAYERED,
                false,
                NONE));
  }

  @ParameterizedTest
  @ValueSource(ints = {HashingOptions.MIN_LEAF_SIZE, 65536, HashingOptions.MAX_LEAF_SIZE})
  void leafSizes_fromFourKibibytesTo256MebibytesInPowersOfTwoAreAccepted(int leafSize) {
    assertEquals(
        leafSize,
        Serialization.merkle(HashAlgorithm.SHA256, leafSize, Workflow.LAYERED, false, NONE)
            .leafSize());
    assertEquals(
        leafSize, Serialization.lattice(leafSize, Workflow.LAYERED, false, NONE).leafSize());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -4096, 2048, 4097, 65535, HashingOptions.MAX_LEAF_SIZE * 2})
  void leafSizes_outsideTheBoundsOrNotAPowerOfTwoAreRefused(int leafSize) {
    UsageException merkle =
        assertThrows(
            UsageException.class,
            () ->
                Serialization.merkle(
                    HashAlgorithm.SHA256, leafSize, Workflow.LAYERED, false, NONE));
    assertTrue(
        merkle.getMessage().startsWith("invalid leaf size " + leafSize + ":"), merkle.getMessage());
    assertThrows(
        UsageException.class, () -> Serialization.lattice(leafSize, Workflow.LAYERED, false, NONE));
  }

  @Test
  void ignorePaths_areKeptOnceInCodePointOrder() {
    // U+FFFF sorts after the surrogates of U+1F600 as UTF-16, before it by code point (as Python).
    List<String> given = List.of("b", "\uD83D\uDE00", "a", "\uFFFF", "b");
    assertEquals(
        List.of("a", "b", "\uFFFF", "\uD83D\uDE00"),
        Serialization.files(HashAlgorithm.SHA256, false, given).ignorePaths());
  }

  @Test
  void methodIds_roundTripAndAreListedInDeclarationOrder() {
    for (SerializationMethod method : SerializationMethod.values()) {
      assertEquals(Optional.of(method), SerializationMethod.byId(method.id()));
    }
    assertEquals("files, shards, merkle, lattice", SerializationMethod.ids());
    assertEquals(Optional.empty(), SerializationMethod.byId("FILES"), "method ids are exact");
    assertEquals(
        List.of(true, true, false, false),
        Arrays.stream(SerializationMethod.values()).map(SerializationMethod::oms).toList());
  }

  @Test
  void workflowIds_roundTripIgnoringCase() {
    for (Workflow workflow : Workflow.values()) {
      assertEquals(Optional.of(workflow), Workflow.byId(workflow.id()));
    }
    assertEquals(Optional.of(Workflow.INPLACE), Workflow.byId("InPlace"));
    assertEquals(Optional.empty(), Workflow.byId("layer"));
    assertEquals("coalesced, layered, inplace", Workflow.ids());
  }
}
