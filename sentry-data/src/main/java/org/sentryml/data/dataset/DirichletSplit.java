package org.sentryml.data.dataset;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;

/**
 * Splits a labelled dataset among {@code sources} data providers, non-IID in the usual federated
 * way: for every class, proportions are drawn from a symmetric Dirichlet({@code alpha}, ..., {@code
 * alpha}) over the sources, which cut [0, 1) into one interval per source; every sample of the
 * class goes to the source whose interval holds the sample's position, a number in [0, 1) hashed
 * from ({@code seed}, class, sample key). Small {@code alpha} gives each class to few sources,
 * large {@code alpha} spreads every class evenly.
 *
 * <p>A pure function of (sources, alpha, seed, class, key): a sample's source does not depend on
 * the order samples are read in, on which other samples exist, or on which machine or partition
 * assigns it, so {@code sentry-dataset} and {@code sentry-spark} agree sample for sample
 * (docs/FORMAT.md, "Split"). Each class's proportions come from their own generator, seeded from
 * {@code seed} and the class index. A source's share of a class is its proportion up to binomial
 * noise (about {@code sqrt(p(1-p)/n)} for {@code n} samples), not rounded to it exactly. Immutable
 * and thread-safe; {@link Assigner} is the per-thread form that caches each class's cuts.
 *
 * @param sources the number of providers, at least 1
 * @param alpha the Dirichlet concentration, a finite real number > 0
 * @param seed the seed of every random choice
 */
public record DirichletSplit(int sources, double alpha, long seed) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Domain separation of the position hash (docs/FORMAT.md). */
  private static final byte[] POSITION_DOMAIN =
      "sentry/dirichlet-split/v1\0".getBytes(StandardCharsets.US_ASCII);

  public DirichletSplit {
    if (sources < 1) {
      throw new UsageException("the number of sources must be >= 1, not " + sources);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new UsageException("alpha must be a finite real number > 0, not " + alpha);
    }
  }

  /**
   * The source of every sample.
   *
   * @param labels the class index of every sample, each >= 0
   * @param keys every sample's key ({@link Sample#key()}), as long as {@code labels}
   * @return an array as long as {@code labels}; element {@code i} is sample {@code i}'s source in
   *     {@code [0, sources)}
   * @throws MalformedInputException if a label is negative
   */
  public int[] assign(int[] labels, String[] keys) {
    Objects.requireNonNull(labels, "labels");
    if (labels.length != keys.length) {
      throw new IllegalArgumentException(labels.length + " labels but " + keys.length + " keys");
    }
    Assigner assigner = assigner();
    int[] source = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new MalformedInputException(
            "sample " + i + " has label " + labels[i] + ", expected >= 0");
      }
      source[i] = assigner.sourceOf(labels[i], keys[i]);
    }
    return source;
  }

  /** A fresh per-thread assigner. */
  public Assigner assigner() {
    return new Assigner(this);
  }

  /**
   * Assigns samples one at a time, keeping each class's cuts once drawn. Not thread-safe: one per
   * thread or task.
   */
  public static final class Assigner {
    private final DirichletSplit split;
    private final Map<Integer, double[]> cuts = new HashMap<>();
    private final MessageDigest sha256;

    private Assigner(DirichletSplit split) {
      this.split = split;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK always has SHA-256", e);
      }
    }

    /** The source of the sample with class {@code label} (>= 0) and key {@code key}. */
    public int sourceOf(int label, String key) {
      double[] classCuts = cuts.computeIfAbsent(label, split::cuts);
      double position = position(label, key.getBytes(StandardCharsets.UTF_8));
      int s = 0;
      while (position >= classCuts[s]) {
        s++;
      }
      return s;
    }

    private double position(int label, byte[] key) {
      ByteBuffer fixed = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      fixed.putLong(split.seed).putInt(label).putInt(key.length);
      sha256.update(POSITION_DOMAIN);
      sha256.update(fixed.array());
      byte[] hash = sha256.digest(key);
      long top = ByteBuffer.wrap(hash, 0, 8).order(ByteOrder.BIG_ENDIAN).getLong();
      return (top >>> 11) * 0x1.0p-53;
    }
  }

  /**
   * Class {@code label}'s cuts: element {@code s} is the sum of the proportions of sources {@code
   * 0..s}, summed in that order; the last is pinned to 1 so that rounding never leaves a position
   * unassigned.
   */
  double[] cuts(int label) {
    double[] p = proportions(classRandom(label));
    double[] cuts = new double[sources];
    double cumulative = 0;
    for (int s = 0; s < sources; s++) {
      cumulative += p[s];
      cuts[s] = cumulative;
    }
    cuts[sources - 1] = 1.0;
    return cuts;
  }

  /** One draw from the symmetric Dirichlet(alpha) over the sources. */
  double[] proportions(SplittableRandom random) {
    double[] logs = new double[sources];
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < sources; s++) {
      logs[s] = GammaSampler.sampleLog(random, alpha);
      max = Math.max(max, logs[s]);
    }
    // Normalising in log space: with small alpha the raw Gamma draws can all underflow to 0.
    double sum = 0;
    double[] p = new double[sources];
    for (int s = 0; s < sources; s++) {
      p[s] = Math.exp(logs[s] - max);
      sum += p[s];
    }
    for (int s = 0; s < sources; s++) {
      p[s] /= sum;
    }
    return p;
  }

  SplittableRandom classRandom(int label) {
    // SplittableRandom mixes its seed, so nearby (seed, label) pairs still give unrelated streams.
    return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (label + 1L));
  }

  /** How many samples each source received: element {@code s} counts the {@code s} entries. */
  public int[] sourceSizes(int[] assignment) {
    int[] sizes = new int[sources];
    for (int s : assignment) {
      sizes[s]++;
    }
    return sizes;
  }

  /**
   * Per-source class histograms: {@code [source][label]} counts, with as many columns as the
   * largest label + 1.
   */
  public int[][] classCounts(int[] labels, int[] assignment) {
    if (labels.length != assignment.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + assignment.length + " assignments");
    }
    int classes = Arrays.stream(labels).max().orElse(-1) + 1;
    int[][] counts = new int[sources][classes];
    for (int i = 0; i < labels.length; i++) {
      counts[assignment[i]][labels[i]]++;
    }
    return counts;
  }
}
