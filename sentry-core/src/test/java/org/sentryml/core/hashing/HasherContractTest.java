package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@link Hasher} contract, for every algorithm: any chunking gives the one-shot digest. */
class HasherContractTest {
  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void streamingInRandomChunksOfEveryInputKindEqualsOneShot(HashAlgorithm algorithm) {
    Random random = new Random(algorithm.nativeNumber());
    for (int trial = 0; trial < 20; trial++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      byte[] expected = algorithm.hash(data);
      assertEquals(algorithm.digestLength(), expected.length);
      Hasher hasher = algorithm.newHasher();
      for (int at = 0; at < data.length; ) {
        int length = Math.min(data.length - at, random.nextInt(300));
        switch (random.nextInt(4)) {
          case 0 -> hasher.update(data, at, length);
          case 1 -> hasher.update(ByteBuffer.wrap(data, at, length));
          case 2 -> hasher.update(ByteBuffer.allocateDirect(length).put(data, at, length).flip());
          default -> {
            for (int i = 0; i < Math.min(length, 3); i++) {
              hasher.update(data[at + i]);
            }
            length = Math.min(length, 3);
          }
        }
        at += length;
      }
      assertArrayEquals(
          expected, hasher.digest(), "trial " + trial + ", " + data.length + " bytes");
      hasher.update(data);
      assertArrayEquals(expected, hasher.digest(), "digest() resets the hasher");
    }
  }
}
