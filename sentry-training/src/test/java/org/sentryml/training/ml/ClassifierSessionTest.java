package org.sentryml.training.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.testkit.TestTags;

@Tag(TestTags.E2E)
class ClassifierSessionTest {
  @TempDir Path dir;

  /**
   * 16x16 grayscale images whose class is the bright quadrant, with noise: learnable in one pass.
   */
  static List<Sample> quadrants(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int label = random.nextInt(4);
      BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int quadrant = (y / 8) * 2 + x / 8;
          int value = (quadrant == label ? 180 : 20) + random.nextInt(60);
          image.getRaster().setSample(x, y, 0, value);
        }
      }
      samples.add(
          new Sample(
              String.format(Locale.ROOT, "train/%08d", i), label, png(image), SampleKind.IMAGE));
    }
    return samples;
  }

  @Test
  void learnsASimpleImageTask() {
    List<Sample> train = quadrants(512, 1);
    List<Sample> test = quadrants(128, 2);
    ClassifierSpec spec = ImageFeatures.specFor(train.get(0), 4);
    assertEquals(ClassifierSpec.image(1, 16, 16, 4), spec);
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, 32, 1e-3f, 42), null)) {
      for (int i = 0; i < train.size(); i += 32) {
        session.trainBatch(train.subList(i, i + 32));
      }
      int[] predicted = session.predict(test);
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        correct += predicted[i] == test.get(i).label() ? 1 : 0;
      }
      assertTrue(correct >= 0.9 * test.size(), "accuracy " + correct + "/" + test.size());
    }
  }

  @Test
  void savedModelRebuiltFromItsBytesPredictsTheSame() throws IOException {
    List<Sample> samples = quadrants(64, 3);
    ClassifierSpec spec = ImageFeatures.specFor(samples.get(0), 4);
    int[] before;
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, 32, 1e-3f, 7), null)) {
      session.trainBatch(samples.subList(0, 32));
      before = session.predict(samples);
      session.save(dir);
    }
    try (ClassifierSession loaded = ClassifierSession.load(files())) {
      assertArrayEquals(before, loaded.predict(samples));
    }
  }

  @Test
  void parametersOfAnotherShapeAreBadInput() throws IOException {
    ClassifierSpec spec = ClassifierSpec.image(1, 16, 16, 4);
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, 1, 1e-3f, 1), null)) {
      session.save(dir);
    }
    Files.write(dir.resolve(ClassifierSpec.FILE), ClassifierSpec.image(1, 16, 16, 7).toJson());
    SentryException e = assertThrows(SentryException.class, () -> ClassifierSession.load(files()));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("model.params"), e.getMessage());
  }

  @Test
  void truncatedParametersAreBadInput() throws IOException {
    ClassifierSpec spec = ClassifierSpec.image(1, 16, 16, 4);
    try (ClassifierSession session =
        ClassifierSession.create(spec, new TrainingConfig(1, 1, 1e-3f, 1), null)) {
      session.save(dir);
    }
    byte[] params = Files.readAllBytes(dir.resolve(ClassifierSession.PARAMS_FILE));
    Files.write(
        dir.resolve(ClassifierSession.PARAMS_FILE),
        java.util.Arrays.copyOf(params, params.length / 3));
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> ClassifierSession.load(files())));
  }

  @Test
  void specRoundTripsAndRejectsUnknownArchitectures() {
    ClassifierSpec spec = ClassifierSpec.image(3, 32, 32, 10);
    assertEquals(spec, ClassifierSpec.fromJson(spec.toJson()));
    String other =
        new String(spec.toJson(), java.nio.charset.StandardCharsets.UTF_8)
            .replace("cnn-v1", "resnet-999");
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(
            SentryException.class,
            () ->
                ClassifierSpec.fromJson(other.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private Map<String, ByteBuffer> files() throws IOException {
    return Map.of(
        ClassifierSpec.FILE, ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ClassifierSpec.FILE))),
        ClassifierSession.PARAMS_FILE,
            ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ClassifierSession.PARAMS_FILE))));
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
