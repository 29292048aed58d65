package org.sentryml.core.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.testing.NaiveMerkle;

class MerkleBuilderTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * The leaf inputs and tree heads of the Certificate Transparency reference tests
   * (certificate-transparency, merkle_tree_test.cc), for trees of 1..8 of these leaves.
   */
  private static final String[] CT_LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  private static final String[] CT_ROOTS = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };

  @Test
  void rootsMatchCertificateTransparencyKnownAnswers() {
    MerkleBuilder builder = new MerkleBuilder(HashAlgorithm.SHA256);
    for (int i = 0; i < CT_LEAVES.length; i++) {
      builder.addLeafHash(NaiveMerkle.leafHash(HashAlgorithm.SHA256, HEX.parseHex(CT_LEAVES[i])));
      assertEquals(CT_ROOTS[i], HEX.formatHex(builder.root()), "tree of " + (i + 1) + " leaves");
    }
  }

  @Test
  void emptyTreeHashesToHashOfEmptyString() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HEX.formatHex(new MerkleBuilder(HashAlgorithm.SHA256).root()));
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void incrementalRootEqualsRecursiveDefinitionForEveryTreeSize(HashAlgorithm algorithm) {
    Random random = new Random(42);
    List<byte[]> leaves = new ArrayList<>();
    MerkleBuilder builder = new MerkleBuilder(algorithm);
    for (int n = 1; n <= 70; n++) {
      byte[] leaf = new byte[random.nextInt(5)];
      random.nextBytes(leaf);
      leaves.add(leaf);
      builder.addLeafHash(NaiveMerkle.leafHash(algorithm, leaf));
      assertArrayEquals(
          NaiveMerkle.mth(algorithm, leaves), builder.root(), "tree of " + n + " leaves");
    }
    assertEquals(70, builder.leafCount());
  }

  @Test
  void addingPerfectSubtreesEqualsAddingTheirLeaves() {
    List<byte[]> leafHashes = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      leafHashes.add(NaiveMerkle.leafHash(HashAlgorithm.SHA256, new byte[] {(byte) i}));
    }
    MerkleBuilder byLeaf = new MerkleBuilder(HashAlgorithm.SHA256);
    leafHashes.forEach(byLeaf::addLeafHash);
    MerkleBuilder bySubtree = new MerkleBuilder(HashAlgorithm.SHA256);
    for (int start = 0; start < 45; start += 8) {
      MerkleBuilder batch = new MerkleBuilder(HashAlgorithm.SHA256);
      leafHashes.subList(start, Math.min(45, start + 8)).forEach(batch::addLeafHash);
      batch.subtrees().forEach(s -> bySubtree.addSubtree(s.root(), s.height()));
    }
    assertArrayEquals(byLeaf.root(), bySubtree.root());
    assertEquals(45, bySubtree.leafCount());
  }

  @Test
  void misplacedSubtreeIsRejected() {
    MerkleBuilder builder = new MerkleBuilder(HashAlgorithm.SHA256);
    builder.addLeafHash(new byte[32]);
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> builder.addSubtree(new byte[32], 1));
  }
}
