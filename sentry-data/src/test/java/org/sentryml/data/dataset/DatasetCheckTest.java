package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentryml.core.attestation.SplitDigest;

class DatasetCheckTest {
  private final List<Sample> train = TestSamples.random("train", 40, 1);

  @Test
  void sameSamplesInAnotherOrderMatch() {
    List<Sample> shuffled = new ArrayList<>(train);
    java.util.Collections.reverse(shuffled);
    assertEquals(
        List.of(),
        DatasetCheck.compare(
            expect("source-03", train), TestSamples.latticesOf("source-03", shuffled)));
  }

  @Test
  void relabelledSampleIsNamedBySourceAndSplit() {
    List<Sample> relabelled = new ArrayList<>(train);
    Sample first = relabelled.get(0);
    relabelled.set(
        0, new Sample(first.key(), (first.label() + 1) % 10, first.data(), first.kind()));
    List<DatasetCheck.Mismatch> mismatches =
        DatasetCheck.compare(
            expect("source-03", train), TestSamples.latticesOf("source-03", relabelled));
    assertEquals(1, mismatches.size());
    DatasetCheck.Mismatch m = mismatches.get(0);
    assertEquals("source-03", m.source());
    assertEquals("train", m.split());
    assertTrue(
        m.describe().startsWith("source-03 (source-03.tar), split train: expected 40 samples"),
        m.describe());
  }

  @Test
  void deletedSampleChangesTheCountAndDigest() {
    List<DatasetCheck.Mismatch> mismatches =
        DatasetCheck.compare(
            expect("source-03", train),
            TestSamples.latticesOf("source-03", train.subList(1, train.size())));
    assertEquals(39, mismatches.get(0).actual().samples());
  }

  @Test
  void sourceNothingRecordsIsReported() {
    SourceLattices actual = TestSamples.latticesOf("source-03", train);
    actual.addAll(TestSamples.latticesOf("source-09", train.subList(0, 1)));
    List<DatasetCheck.Mismatch> mismatches =
        DatasetCheck.compare(expect("source-03", train), actual);
    assertEquals(1, mismatches.size());
    assertNull(mismatches.get(0).expected());
  }

  private static Map<String, DatasetCheck.ExpectedSource> expect(
      String source, List<Sample> samples) {
    SourceLattices.SplitLattice lattice =
        TestSamples.latticesOf(source, samples).bySource().get(source).get("train");
    return Map.of(
        source,
        new DatasetCheck.ExpectedSource(
            source + ".tar",
            List.of(new SplitDigest("train", lattice.samples(), lattice.lattice()))));
  }
}
