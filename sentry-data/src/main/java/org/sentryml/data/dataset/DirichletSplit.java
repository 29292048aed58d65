package org.sentryml.data.dataset;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;

/**
 * Splits a labelled dataset among {@code sources} data providers, non-IID in the usual federated
 * way: for every class, proportions are drawn from a symmetric Dirichlet({@code alpha}, ..., {@code
 * alpha}) over the sources, the class's samples are shuffled, and cut into consecutive runs of
 * those proportions. Small {@code alpha} gives each class to few sources, large {@code alpha}
 * spreads every class evenly.
 *
 * <p>Deterministic: the result depends only on the labels and on ({@code sources}, {@code alpha},
 * {@code seed}). Each class draws from its own generator, seeded from {@code seed} and the class
 * index, so one class's split does not change when other classes gain or lose samples. Immutable
 * and thread-safe.
 *
 * @param sources the number of providers, at least 1
 * @param alpha the Dirichlet concentration, a finite real number > 0
 * @param seed the seed of every random choice
 */
public record DirichletSplit(int sources, double alpha, long seed) {
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
   * @return an array as long as {@code labels}; element {@code i} is sample {@code i}'s source in
   *     {@code [0, sources)}
   * @throws MalformedInputException if a label is negative
   */
  public int[] assign(int[] labels) {
    Objects.requireNonNull(labels, "labels");
    int[] source = new int[labels.length];
    // Sorting (label, index) pairs groups each class's indices in ascending order without an
    // array sized by the largest label.
    long[] byClass = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new MalformedInputException(
            "sample " + i + " has label " + labels[i] + ", expected >= 0");
      }
      byClass[i] = ((long) labels[i] << 32) | i;
    }
    Arrays.sort(byClass);
    int start = 0;
    while (start < byClass.length) {
      int label = (int) (byClass[start] >>> 32);
      int end = start;
      while (end < byClass.length && (int) (byClass[end] >>> 32) == label) {
        end++;
      }
      int[] members = new int[end - start];
      for (int k = 0; k < members.length; k++) {
        members[k] = (int) byClass[start + k];
      }
      splitClass(label, members, source);
      start = end;
    }
    return source;
  }

  private void splitClass(int label, int[] members, int[] source) {
    SplittableRandom random = classRandom(label);
    double[] proportions = proportions(random);
    shuffle(members, random);
    int n = members.length;
    double cumulative = 0;
    int from = 0;
    for (int s = 0; s < sources; s++) {
      cumulative += proportions[s];
      // The last cut is pinned to n so rounding can never drop or duplicate a sample.
      int to = s == sources - 1 ? n : (int) Math.min(n, Math.round(cumulative * n));
      for (int k = from; k < to; k++) {
        source[members[k]] = s;
      }
      from = Math.max(from, to);
    }
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

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
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
