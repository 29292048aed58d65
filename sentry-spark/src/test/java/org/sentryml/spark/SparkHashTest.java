package org.sentryml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.TestTags;

/** {@code sentry-spark hash} of a folder of 20,000 small files equals {@code sentry hash}. */
@Tag(TestTags.SLOW)
class SparkHashTest {
  @TempDir static Path work;
  static Path folder;

  @BeforeAll
  static void manySmallFiles() throws IOException {
    folder = work.resolve("data");
    SplittableRandom random = new SplittableRandom(19);
    for (int i = 0; i < 20_000; i++) {
      Path file = folder.resolve(String.format(Locale.ROOT, "part-%03d/file-%05d.bin", i % 200, i));
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);
      Files.write(file, bytes);
    }
    // One file larger than a leaf, so that a root of several leaves is compared too.
    byte[] large = new byte[200_000];
    random.nextBytes(large);
    Files.write(folder.resolve("large.bin"), large);
  }

  @Test
  void twentyThousandFilesHashToTheRootSentryHashPrints() {
    Tools.Run single = Tools.sentry("hash", folder.toString(), "--json");
    assertEquals(0, single.exitCode(), single.all());
    Tools.Run spark = Tools.spark("hash", folder.toString(), "--partitions", "7", "--json");
    assertEquals(0, spark.exitCode(), spark.all());
    assertEquals(single.out().trim(), spark.out().trim());
    assertTrue(single.out().contains("file-19999.bin"), "every file is listed");
  }

  @Test
  void aBundleSignedOnSparkVerifiesWithSentryVerify() throws IOException {
    Path keys = work.resolve("keys");
    assertEquals(0, Tools.sentry("keygen", "--out", keys.toString()).exitCode());
    Path bundle = work.resolve("data.sig");
    Tools.Run signed =
        Tools.spark(
            "hash",
            folder.toString(),
            "--sign",
            bundle.toString(),
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, signed.exitCode(), signed.all());
    Tools.Run verified =
        Tools.sentry(
            "verify",
            folder.toString(),
            "--signature",
            bundle.toString(),
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(0, verified.exitCode(), verified.all());
    Files.writeString(folder.resolve("part-007/file-00007.bin"), "changed", StandardCharsets.UTF_8);
    Tools.Run tampered =
        Tools.sentry(
            "verify",
            folder.toString(),
            "--signature",
            bundle.toString(),
            "private-key",
            "--public_key",
            keys.resolve("public.pem").toString());
    assertEquals(1, tampered.exitCode(), tampered.all());
    assertTrue(tampered.all().contains("part-007/file-00007.bin"), tampered.all());
  }

  @Test
  void aMethodWithoutSignOrSignWithoutAMethodIsAUsageError() {
    assertEquals(
        2,
        Tools.spark("hash", folder.toString(), "--sign", work.resolve("x.sig").toString())
            .exitCode());
  }
}
