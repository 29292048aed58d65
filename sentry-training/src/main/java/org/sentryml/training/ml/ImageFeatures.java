package org.sentryml.training.ml;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.data.dataset.Sample;

/**
 * Decodes image samples (PNG, or any format ImageIO reads) into the network's input: channels ×
 * height × width floats in [0, 1], channel-major. Thread-safe; stateless.
 */
public final class ImageFeatures {
  private ImageFeatures() {}

  /** The spec an image dataset needs, read off one of its samples. */
  public static ClassifierSpec specFor(Sample sample, int classes) {
    BufferedImage image = decode(sample);
    int channels = isGray(image) ? 1 : 3;
    return ClassifierSpec.image(channels, image.getHeight(), image.getWidth(), classes);
  }

  /** Writes the sample's pixels into {@code target} at {@code offset}. */
  public static void write(Sample sample, ClassifierSpec spec, float[] target, int offset) {
    BufferedImage image = decode(sample);
    if (image.getHeight() != spec.height() || image.getWidth() != spec.width()) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT,
              "sample %s is %dx%d, the model takes %dx%d",
              sample.key(),
              image.getWidth(),
              image.getHeight(),
              spec.width(),
              spec.height()));
    }
    write(image, spec, target, offset);
  }

  /**
   * Writes the pixels of an image already decoded and of the spec's size (checked by the caller)
   * into {@code target} at {@code offset}: the same values {@link #write(Sample, ClassifierSpec,
   * float[], int)} gives for its encoded bytes.
   */
  public static void write(BufferedImage image, ClassifierSpec spec, float[] target, int offset) {
    if (image.getHeight() != spec.height() || image.getWidth() != spec.width()) {
      throw new IllegalArgumentException("the image is not of the spec's size");
    }
    int plane = spec.height() * spec.width();
    boolean gray = spec.channels() == 1;
    Raster raster = image.getRaster();
    boolean rasterGray = raster.getNumBands() == 1;
    float grayMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < spec.width(); x++) {
        int at = offset + y * spec.width() + x;
        if (rasterGray) {
          float v = raster.getSample(x, y, 0) / grayMax;
          for (int c = 0; c < spec.channels(); c++) {
            target[at + c * plane] = v;
          }
        } else {
          int rgb = image.getRGB(x, y);
          float r = ((rgb >> 16) & 0xff) / 255f;
          float g = ((rgb >> 8) & 0xff) / 255f;
          float b = (rgb & 0xff) / 255f;
          if (gray) {
            target[at] = (r + g + b) / 3f;
          } else {
            target[at] = r;
            target[at + plane] = g;
            target[at + 2 * plane] = b;
          }
        }
      }
    }
  }

  private static BufferedImage decode(Sample sample) {
    try {
      BufferedImage image = read(sample.data());
      if (image == null) {
        throw new MalformedInputException(
            "sample " + sample.key() + " is not an image ImageIO can read");
      }
      return image;
    } catch (IOException e) {
      throw new MalformedInputException(
          "sample " + sample.key() + " is not a readable image: " + e.getMessage());
    }
  }

  /**
   * Decodes encoded image bytes with an in-memory stream cache: {@code ImageIO.read(InputStream)}
   * would cache every stream in a temporary file, a disk write and read per image.
   *
   * @return the image, or null when no ImageIO reader recognises the bytes
   */
  public static @Nullable BufferedImage read(byte[] encoded) throws IOException {
    // ImageIO.read closes the stream it was given; it holds nothing but the array anyway.
    return ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded)));
  }

  private static boolean isGray(BufferedImage image) {
    return image.getRaster().getNumBands() == 1;
  }
}
