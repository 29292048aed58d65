package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;

class ManifestDiffTest {
  private static final String SHA = "sha256";

  private static ResourceDigest resource(String name, String hex) {
    return new ResourceDigest(name, Digest.ofHex(SHA, hex.repeat(32)));
  }

  @Test
  void sameResourcesInAnotherOrder_differInNothing() {
    ManifestDiff diff =
        ManifestDiff.between(
            List.of(resource("a", "01"), resource("b", "02")),
            List.of(resource("b", "02"), resource("a", "01")));
    assertTrue(diff.isEmpty());
    assertEquals(List.of(), diff.describe());
  }

  @Test
  void aSignedResourceAbsentFromTheModel_isMissing() {
    ManifestDiff diff =
        ManifestDiff.between(
            List.of(resource("a", "01"), resource("gone", "02")), List.of(resource("a", "01")));
    assertEquals(new ManifestDiff(List.of("gone"), List.of(), List.of()), diff);
    assertFalse(diff.isEmpty());
    assertEquals(List.of("missing: gone (signed, but not in the model)"), diff.describe());
  }

  @Test
  void aModelResourceThatWasNotSigned_isExtra() {
    ManifestDiff diff =
        ManifestDiff.between(
            List.of(resource("a", "01")), List.of(resource("a", "01"), resource("new", "03")));
    assertEquals(new ManifestDiff(List.of(), List.of("new"), List.of()), diff);
    assertEquals(List.of("extra: new (in the model, but not signed)"), diff.describe());
  }

  @Test
  void aResourceWithAnotherDigest_isChangedWithExpectedAndActual() {
    ResourceDigest signed = resource("w.bin", "aa");
    ResourceDigest found = resource("w.bin", "ab");
    ManifestDiff diff = ManifestDiff.between(List.of(signed), List.of(found));
    assertEquals(
        List.of(new ManifestDiff.Change("w.bin", signed.digest(), found.digest())), diff.changed());
    assertEquals(
        List.of(
            "changed: w.bin expected sha256:"
                + "aa".repeat(32)
                + " actual sha256:"
                + "ab".repeat(32)),
        diff.describe());
  }

  @Test
  void theSameValueUnderAnotherAlgorithmName_isChanged() {
    ResourceDigest signed = resource("w.bin", "aa");
    ResourceDigest found = signed.renamed("sha256-merkle-4096");
    ManifestDiff diff = ManifestDiff.between(List.of(signed), List.of(found));
    assertEquals(1, diff.changed().size());
    assertEquals("sha256-merkle-4096", diff.changed().get(0).actual().algorithm());
  }

  @Test
  void describe_listsMissingThenExtraThenChanged_eachInTheOrderFound() {
    ManifestDiff diff =
        ManifestDiff.between(
            List.of(resource("m2", "01"), resource("c", "02"), resource("m1", "03")),
            List.of(resource("x2", "04"), resource("c", "05"), resource("x1", "06")));
    assertEquals(List.of("m2", "m1"), diff.missing(), "in signed order");
    assertEquals(List.of("x2", "x1"), diff.extra(), "in model order");
    List<String> lines = diff.describe();
    assertEquals(5, lines.size());
    assertEquals(
        List.of("missing: m2", "missing: m1", "extra: x2", "extra: x1", "changed: c"),
        lines.stream()
            .map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1)))
            .toList());
  }
}
