package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.core.engine.cuda.NativePrograms.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.hashing.Blake2Xb;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;
import org.sentryml.testkit.TestVectors;

/**
 * Checks the BLAKE2b, BLAKE2Xb, SHA3-256, any-algorithm Merkle and lattice cores the kernels share,
 * host-compiled by the build (native/cuda/host_hashes.cu), against published vectors (RFC 7693,
 * FIPS 202 / NIST, the BLAKE2 reference KAT among the testkit's vectors) and against the Java
 * hashers and CpuEngine on seeded random inputs. Needs nvcc at build time, not a GPU; skipped, with
 * the reason, where nvcc is absent.
 */
@Tag(TestTags.NVCC)
class HostCompiledHashesTest {
  private static final int LEAF = 4096;
  private static final long TIMEOUT_S = 240;

  @TempDir static Path logDir;

  private static CpuEngine engine;

  private Path program;

  @TempDir Path dataDir;

  @BeforeAll
  static void startEngine() {
    engine = new CpuEngine(2);
  }

  @BeforeEach
  void findProgram() {
    program = NativePrograms.hostProgram("host_hashes");
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @Test
  void publishedKnownAnswersPass() throws Exception {
    NativePrograms.Result kat = runProgram(List.of(program.toString(), "kat"));
    assertEquals(0, kat.exitCode(), kat.output());
    assertTrue(kat.output().contains("KAT PASSED"), kat.output());
    assertFalse(kat.output().contains("FAIL"), kat.output());
  }

  /** Every entry (keyed and unkeyed, blake2b and blake2xb) of the BLAKE2 reference KAT file. */
  @Test
  void blake2ReferenceKatMatches() throws Exception {
    Pattern entry =
        Pattern.compile(
            "\"hash\":\\s*\"(\\w+)\",\\s*\"in\":\\s*\"(\\p{XDigit}*)\",\\s*\"key\":\\s*\"(\\p{XDigit}*)\",\\s*\"out\":\\s*\"(\\p{XDigit}+)\"");
    Matcher m = entry.matcher(TestVectors.text("blake2/blake2b-blake2xb-kat.json"));
    int checked = 0;
    // Every third entry keeps the run short while covering every output length class.
    for (int i = 0; m.find(); i++) {
      if (i % 3 != 0) {
        continue;
      }
      String out = m.group(4);
      String got =
          hash(
              m.group(1),
              out.length() / 2,
              m.group(2).isEmpty() ? "-" : m.group(2),
              m.group(3).isEmpty() ? "-" : m.group(3));
      assertEquals(
          out,
          got,
          m.group(1) + " in=" + m.group(2).length() / 2 + " key=" + m.group(3).length() / 2);
      checked++;
    }
    assertTrue(checked > 300, "too few KAT entries parsed: " + checked);
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void plainHashesEqualJava(HashAlgorithm algorithm) throws Exception {
    for (int size : new int[] {0, 1, 63, 64, 65, 127, 128, 129, 135, 136, 137, 1000, 5000}) {
      byte[] data = TestFiles.randomBytes(size * 7L + algorithm.nativeNumber(), size);
      String want = HexFormat.of().formatHex(algorithm.hash(data));
      assertEquals(
          want,
          hash(algorithm.id(), algorithm.digestLength(), hex(data), "-"),
          algorithm + " size " + size);
    }
  }

  @Test
  void blake2xbLatticeLengthEqualsJava() throws Exception {
    for (int size : new int[] {0, 16, 200}) {
      byte[] data = TestFiles.randomBytes(size, size);
      assertEquals(
          HexFormat.of().formatHex(Blake2Xb.hash(data, 2048)),
          hash("blake2xb", 2048, hex(data), "-"));
    }
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void merkleRootsEqualCpuEngine(HashAlgorithm algorithm) throws Exception {
    compareFiles(HashingOptions.merkle(algorithm, LEAF), List.of("merkle", algorithm.id()), false);
  }

  /** Small files batched into one buffer and table, empty files among them, give per-file roots. */
  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void batchedRootsEqualCpuEngineFileByFile(HashAlgorithm algorithm) throws Exception {
    int[] sizes = {
      0, 0, 1, LEAF - 1, 0, LEAF, LEAF + 1, 3, 2 * LEAF, 7 * LEAF + 5, 0, 33 * LEAF - 1, 0
    };
    compareFiles(
        HashingOptions.merkle(algorithm, LEAF), List.of("batch", algorithm.id()), false, sizes);
  }

  @Test
  void latticeChecksumsEqualCpuEngine() throws Exception {
    compareFiles(HashingOptions.lattice(LEAF), List.of("lattice"), true);
  }

  private void compareFiles(HashingOptions options, List<String> verb, boolean lattice)
      throws Exception {
    compareFiles(
        options,
        verb,
        lattice,
        new int[] {0, 1, LEAF - 1, LEAF, LEAF + 1, 2 * LEAF, 7 * LEAF + 5, 33 * LEAF - 1});
  }

  private void compareFiles(HashingOptions options, List<String> verb, boolean lattice, int[] sizes)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(program.toString()));
    command.addAll(verb);
    command.add(Integer.toString(LEAF));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      byte[] data = TestFiles.randomBytes(9001L * i + sizes[i], sizes[i]);
      Path file = TestFiles.write(dataDir.resolve(String.format(Locale.ROOT, "f%d.bin", i)), data);
      Resource resource =
          new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, sizes[i])));
      var digest = engine.hash(List.of(resource), options).get(0);
      byte[] want = lattice ? digest.latticeChecksum() : digest.digest().value();
      expected.add(HexFormat.of().formatHex(want) + " " + file);
      command.add(file.toString());
    }
    NativePrograms.Result result = runProgram(command);
    assertEquals(0, result.exitCode(), result.output());
    List<String> lines = result.output().lines().toList();
    for (int i = 0; i < sizes.length; i++) {
      assertEquals(expected.get(i), lines.get(i), options.digestName() + " size " + sizes[i]);
    }
  }

  private String hash(String algorithm, int outLength, String inHex, String keyHex)
      throws Exception {
    NativePrograms.Result r =
        runProgram(
            List.of(
                program.toString(), "hash", algorithm, Integer.toString(outLength), inHex, keyHex));
    assertEquals(0, r.exitCode(), r.output());
    return r.output().strip();
  }

  private static String hex(byte[] data) {
    return data.length == 0 ? "-" : HexFormat.of().formatHex(data);
  }

  private static NativePrograms.Result runProgram(List<String> command)
      throws IOException, InterruptedException {
    return run(command, null, TIMEOUT_S, logDir);
  }
}
