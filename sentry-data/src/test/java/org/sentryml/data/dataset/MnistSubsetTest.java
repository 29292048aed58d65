package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.RepositoryFiles;

/** The embedded demo dataset reads as ylecun/mnist would: counts, labels, keys, PNG payloads. */
class MnistSubsetTest {
  private static final Path TRAIN =
      RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist")
          .resolve("train-00000-of-00001.parquet");
  private static final Path TEST =
      RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist")
          .resolve("test-00000-of-00001.parquet");

  @Test
  void schemaIsHuggingFaceMnist() {
    assertEquals(
        List.of(
            new ParquetLayout.Column("image", "STRUCT(bytes BLOB, path VARCHAR)"),
            new ParquetLayout.Column("label", "BIGINT")),
        ParquetSamples.columns(TRAIN));
    assertEquals(
        new ParquetLayout("image", ParquetLayout.Payload.IMAGE_STRUCT, "label"),
        ParquetSamples.layout(TRAIN));
  }

  @Test
  void labelPassCountsTenThousandTrainAndTwoThousandTestSamplesOfTenClasses() {
    int[] train = ParquetSamples.labels(TRAIN);
    int[] test = ParquetSamples.labels(TEST);
    assertEquals(10_000, train.length);
    assertEquals(2_000, test.length);
    for (int[] labels : List.of(train, test)) {
      int[] perClass = new int[10];
      for (int label : labels) {
        assertTrue(label >= 0 && label <= 9, "label " + label);
        perClass[label]++;
      }
      for (int count : perClass) {
        assertTrue(count > 0, "every digit occurs");
      }
    }
    // Known answers from the IDX label files: the first training digit is 5, the first test one 7.
    assertEquals(5, train[0]);
    assertEquals(7, test[0]);
  }

  @Test
  void streamedSamplesMatchTheLabelPassAndCarrySplitIndexKeys() {
    int[] labels = ParquetSamples.labels(TEST);
    List<Sample> samples = new ArrayList<>();
    long count = ParquetSamples.forEach(TEST, "test", 0, samples::add);
    assertEquals(2_000, count);
    assertEquals("test/00000000", samples.get(0).key());
    assertEquals("test/00001999", samples.get(1999).key());
    int[] streamed = samples.stream().mapToInt(Sample::label).toArray();
    assertArrayEquals(labels, streamed);
    assertTrue(samples.stream().allMatch(s -> s.kind() == SampleKind.IMAGE));
  }

  @Test
  void firstIndexOffsetsTheKeysOfALaterShard() {
    try (SampleCursor cursor = ParquetSamples.open(TEST, "test", 60_000)) {
      assertEquals("test/00060000", cursor.next().key());
      assertEquals("test/00060001", cursor.next().key());
    }
  }

  @Test
  void everyImageIsAGrayscale28By28Png() throws IOException {
    List<byte[]> images = new ArrayList<>();
    ParquetSamples.forEach(TEST, "test", 0, s -> images.add(s.data()));
    for (byte[] png : images) {
      assertEquals((byte) 0x89, png[0]);
      assertEquals('P', png[1]);
    }
    BufferedImage first = ImageIO.read(new ByteArrayInputStream(images.get(0)));
    assertNotNull(first);
    assertEquals(28, first.getWidth());
    assertEquals(28, first.getHeight());
    assertEquals(1, first.getRaster().getNumBands());
    assertEquals(8, first.getColorModel().getComponentSize(0));
    Raster raster = first.getRaster();
    int ink = 0;
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        ink += raster.getSample(x, y, 0) > 128 ? 1 : 0;
      }
    }
    // A handwritten 7 covers some tens of pixels of the 784, on a dark (0) background.
    assertTrue(ink > 30 && ink < 300, "ink pixels " + ink);
    assertEquals(0, raster.getSample(0, 0, 0));
  }

  @Test
  void readThroughputIsReported() {
    long start = System.nanoTime();
    long[] bytes = new long[1];
    long count = ParquetSamples.forEach(TRAIN, "train", 0, s -> bytes[0] += s.data().length);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(10_000, count);
    System.out.printf(
        java.util.Locale.ROOT,
        "read %d samples (%d payload bytes) in %.3f s: %.0f samples/s%n",
        count,
        bytes[0],
        seconds,
        count / seconds);
  }
}
