package org.sentryml.core.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.testkit.TestVectors;

/** Known answers for the algorithms Sentry takes from the JDK: sha256 and sha3-256. */
class JdkAlgorithmsKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The non-comment lines of the testkit's {@code kat/<file>}. */
  static List<String> vectorLines(String file) {
    return TestVectors.text("kat/" + file)
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .toList();
  }

  private static byte[] input(String field) {
    if (field.equals("-")) {
      return new byte[0];
    }
    if (field.startsWith("repeat:")) {
      String[] parts = field.split(":", -1);
      byte[] data = new byte[Integer.parseInt(parts[2])];
      Arrays.fill(data, (byte) Integer.parseInt(parts[1], 16));
      return data;
    }
    return HEX.parseHex(field);
  }

  @ParameterizedTest
  @EnumSource(
      value = HashAlgorithm.class,
      names = {"SHA256", "SHA3_256"})
  void digestsMatchPublishedVectors(HashAlgorithm algorithm) throws IOException {
    List<String> lines = vectorLines(algorithm.id() + "-kat.txt");
    for (String line : lines) {
      String[] fields = line.split(" ", -1);
      byte[] data = input(fields[0]);
      assertEquals(fields[1], HEX.formatHex(algorithm.hash(data)), line);
      Hasher streamed = algorithm.newHasher();
      for (int at = 0; at < data.length; at += 1000) {
        streamed.update(data, at, Math.min(1000, data.length - at));
      }
      assertEquals(fields[1], HEX.formatHex(streamed.digest()), "streamed " + line);
    }
  }
}
