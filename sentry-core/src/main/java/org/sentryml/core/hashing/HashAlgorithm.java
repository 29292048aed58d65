package org.sentryml.core.hashing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hash functions Sentry computes. Each is stateless and thread-safe; {@link #newHasher()}
 * returns a fresh single-threaded {@link Hasher}.
 */
public enum HashAlgorithm {
  SHA256("sha256", 32, 0) {
    @Override
    public Hasher newHasher() {
      return JdkHasher.of("SHA-256");
    }
  },
  BLAKE2B("blake2b", 64, 1) {
    @Override
    public Hasher newHasher() {
      return Blake2b.ofDigestLength(64);
    }
  },
  SHA3_256("sha3-256", 32, 2) {
    @Override
    public Hasher newHasher() {
      return JdkHasher.of("SHA3-256");
    }
  },
  /** BLAKE2X over BLAKE2b with a 64-byte output when used as a plain hash. */
  BLAKE2XB("blake2xb", 64, 3) {
    @Override
    public Hasher newHasher() {
      return new Blake2Xb(64);
    }
  };

  private final String id;
  private final int digestLength;
  private final int nativeNumber;

  HashAlgorithm(String id, int digestLength, int nativeNumber) {
    this.id = id;
    this.digestLength = digestLength;
    this.nativeNumber = nativeNumber;
  }

  /**
   * The number the native hash cores know this algorithm by ({@code enum sentry_alg} of
   * native/cuda/hashes.cuh); written out rather than taken from the declaration order, so that
   * reordering the constants cannot silently hash with another algorithm on the GPU.
   */
  public int nativeNumber() {
    return nativeNumber;
  }

  /** The name used on the command line and in digests, e.g. {@code sha3-256}. */
  public String id() {
    return id;
  }

  public int digestLength() {
    return digestLength;
  }

  public abstract Hasher newHasher();

  /** Computes the digest of {@code data} in one call. */
  public byte[] hash(byte[] data) {
    Hasher hasher = newHasher();
    hasher.update(data);
    return hasher.digest();
  }

  public static Optional<HashAlgorithm> byId(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(a -> a.id.equals(wanted)).findFirst();
  }

  /** Every accepted id, comma separated, for error messages and help. */
  public static String ids() {
    return Arrays.stream(values()).map(HashAlgorithm::id).collect(Collectors.joining(", "));
  }
}
