package org.sentryml.core.hashing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A {@link Hasher} over a JDK {@link MessageDigest}, which uses SHA-NI intrinsics where present.
 */
final class JdkHasher implements Hasher {
  private final MessageDigest digest;

  private JdkHasher(MessageDigest digest) {
    this.digest = digest;
  }

  static JdkHasher of(String jcaName) {
    try {
      return new JdkHasher(MessageDigest.getInstance(jcaName));
    } catch (NoSuchAlgorithmException e) {
      // SHA-256 and SHA3-256 are mandatory in every Java 21 runtime.
      throw new IllegalStateException("this Java runtime lacks " + jcaName, e);
    }
  }

  @Override
  public int digestLength() {
    return digest.getDigestLength();
  }

  @Override
  public void update(byte input) {
    digest.update(input);
  }

  @Override
  public void update(byte[] input, int offset, int length) {
    digest.update(input, offset, length);
  }

  @Override
  public void update(ByteBuffer input) {
    digest.update(input);
  }

  @Override
  public byte[] digest() {
    return digest.digest();
  }
}
