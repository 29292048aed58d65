package org.sentryml.core.hashing;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A digest value together with the full name of the computation that produced it. The name encodes
 * every parameter that changes the value (e.g. {@code sha256}, {@code sha256-merkle-65536}, {@code
 * lthash16x1024-blake2xb}), so two digests are only comparable when their names are equal.
 */
public record Digest(String algorithm, byte[] value) {
  private static final HexFormat HEX = HexFormat.of();

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    if (algorithm.isEmpty()) {
      throw new IllegalArgumentException("digest algorithm name is empty");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public String hex() {
    return HEX.formatHex(value);
  }

  public static Digest ofHex(String algorithm, String hex) {
    return new Digest(algorithm, HEX.parseHex(hex));
  }

  /** Compares name and value; the value comparison takes time independent of where they differ. */
  public boolean matches(Digest other) {
    return algorithm.equals(other.algorithm) && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest other && matches(other);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex();
  }
}
