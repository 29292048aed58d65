package org.sentryml.data.hub;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sentryml.testkit.TestFiles;

/** Small dataset repositories for the hub tests: parquet-named files of seeded random bytes. */
final class HubFixtures {
  static final String REPO = "acme/digits";

  private HubFixtures() {}

  /** {@code acme/digits} with a two-shard train split, a test split and a README. */
  static Map<String, byte[]> writeDigits(Path hubRoot) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("README.md", "# digits\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    files.put("data/train-00000-of-00002.parquet", TestFiles.randomBytes(1, 70_000));
    files.put("data/train-00001-of-00002.parquet", TestFiles.randomBytes(2, 1_234));
    files.put("data/test-00000-of-00001.parquet", TestFiles.randomBytes(3, 5_000));
    files.forEach((path, data) -> TestFiles.write(hubRoot.resolve(REPO).resolve(path), data));
    return files;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
