package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.core.engine.cuda.NativePrograms.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;

/**
 * Checks the CUDA hash core's host test program, host-compiled by the build
 * (native/cuda/host_test.cu), against the FIPS 180 known answers and against the Java CpuEngine's
 * Merkle roots, and that the build packaged the kernels. Needs nvcc at build time, not a GPU;
 * skipped, with the reason, where nvcc is absent.
 */
@Tag(TestTags.NVCC)
class HostCompiledKernelsTest {
  private static final long RUN_TIMEOUT_S = 60;

  @TempDir static Path logDir;

  private static CpuEngine engine;

  private Path hostTest;

  @TempDir Path dataDir;

  @BeforeAll
  static void startEngine() {
    engine = new CpuEngine(2);
  }

  @BeforeEach
  void findProgram() {
    hostTest = NativePrograms.hostProgram("host_test");
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  /**
   * The fatbin is nvcc's build of kernels.cu for sm_80, sm_89 and sm_90
   * (native/cuda/build-fatbin.sh, warnings as errors), so its presence proves that the kernels
   * compile for every target.
   */
  @Test
  void kernelsArePackagedAsAFatbin() throws IOException {
    assertTrue(
        CudaProbe.fatbin().map(bytes -> bytes.length > 0).orElse(false),
        CudaProbe.FATBIN_RESOURCE + " missing or empty");
  }

  @Test
  void knownAnswersPass() throws Exception {
    NativePrograms.Result kat =
        run(List.of(hostTest.toString(), "kat"), null, RUN_TIMEOUT_S, logDir);
    assertEquals(0, kat.exitCode(), "host_test kat failed:\n" + kat.output());
    String out = kat.output();
    // FIPS 180-2 Appendix B.1-B.3 and the empty-string digest.
    for (String hex :
        List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")) {
      assertTrue(
          out.contains("ok   ") && out.contains(hex), "missing known answer " + hex + ":\n" + out);
    }
    assertTrue(out.contains("ok   aligned leaf == byte-wise leaf"), out);
    assertTrue(out.contains("ok   aligned leaf reads nothing past its end"), out);
    assertTrue(out.contains("KAT PASSED"), out);
    assertTrue(!out.contains("FAIL"), out);
  }

  /**
   * Each leaf hashed as the engine picks its kernel: the 128-bit-load core where the data address
   * and the leaf size are multiples of 16 (offsets 0 and 16), the byte-wise core elsewhere (1 and
   * 8); both give the CPU engine's roots, whole and partial last leaves alike.
   */
  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 16, 1, 8})
  void leafKernelChosenByAlignmentEqualsCpuEngine(int offset) throws Exception {
    int leaf = 4096;
    Random random = new Random(1600L + offset);
    List<Integer> sizes = new ArrayList<>(List.of(0, 1, leaf - 1, leaf, leaf + 1));
    for (int i = 0; i < 3; i++) {
      sizes.add(1 + random.nextInt(40 * leaf));
    }
    HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, leaf);
    List<String> command =
        new ArrayList<>(
            List.of(
                hostTest.toString(), "root-at", Integer.toString(offset), Integer.toString(leaf)));
    List<String> expected = new ArrayList<>();
    String kernel = offset % 16 == 0 ? "aligned" : "bytes";
    for (int i = 0; i < sizes.size(); i++) {
      int size = sizes.get(i);
      Path file =
          TestFiles.write(
              dataDir.resolve("a" + i + "-" + size + ".bin"),
              TestFiles.randomBytes(offset * 97L + i, size));
      Resource resource =
          new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size)));
      byte[] root = engine.hash(List.of(resource), options).get(0).digest().value();
      expected.add(HexFormat.of().formatHex(root) + " " + kernel + " " + file);
      command.add(file.toString());
    }
    NativePrograms.Result result = run(command, null, RUN_TIMEOUT_S, logDir);
    assertEquals(0, result.exitCode(), "host_test root-at failed:\n" + result.output());
    assertEquals(
        expected, result.output().lines().toList(), "offset " + offset + ", sizes " + sizes);
  }

  @ParameterizedTest(name = "leaf {0}")
  @ValueSource(ints = {4096, 65536})
  void merkleRootsEqualCpuEngine(int leaf) throws Exception {
    Random random = new Random(6962L + leaf);
    List<Integer> sizes =
        new ArrayList<>(List.of(0, 1, leaf - 1, leaf, leaf + 1, 2 * leaf, 3 * leaf + 17));
    int maxLeaves = leaf == 4096 ? 700 : 90;
    for (int i = 0; i < 4; i++) {
      sizes.add(2 * leaf + random.nextInt((maxLeaves - 2) * leaf));
    }
    Map<String, byte[]> expected = new LinkedHashMap<>();
    List<String> command =
        new ArrayList<>(List.of(hostTest.toString(), "root", Integer.toString(leaf)));
    HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, leaf);
    for (int i = 0; i < sizes.size(); i++) {
      int size = sizes.get(i);
      byte[] data = TestFiles.randomBytes(leaf * 31L + i, size);
      Path file = TestFiles.write(dataDir.resolve("f" + i + "-" + size + ".bin"), data);
      Resource resource =
          new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size)));
      expected.put(
          file.toString(), engine.hash(List.of(resource), options).get(0).digest().value());
      command.add(file.toString());
    }
    NativePrograms.Result roots = run(command, null, RUN_TIMEOUT_S, logDir);
    assertEquals(0, roots.exitCode(), "host_test root failed:\n" + roots.output());
    Map<String, String> actual = parseRoots(roots.output());
    assertEquals(expected.size(), actual.size(), roots.output());
    for (int i = 0; i < sizes.size(); i++) {
      String path = command.get(3 + i);
      assertEquals(
          HexFormat.of().formatHex(expected.get(path)),
          actual.get(path),
          "leaf " + leaf + ", size " + sizes.get(i));
    }
  }

  @Test
  void answersRootCommandsOnStdin() throws Exception {
    int leaf = 4096;
    byte[] data = TestFiles.randomBytes(77, 5 * leaf + 3);
    Path file = TestFiles.write(dataDir.resolve("stdin.bin"), data);
    Resource resource = new Resource("stdin.bin", List.of(new FileRegion(file, 0, data.length)));
    byte[] want =
        engine
            .hash(List.of(resource), HashingOptions.merkle(HashAlgorithm.SHA256, leaf))
            .get(0)
            .digest()
            .value();
    String input =
        "root "
            + leaf
            + " "
            + file
            + "\nroot "
            + leaf
            + " "
            + dataDir.resolve("missing.bin")
            + "\n";
    NativePrograms.Result result =
        run(List.of(hostTest.toString(), "-"), input, RUN_TIMEOUT_S, logDir);
    assertEquals(2, result.exitCode(), "a missing file must give exit 2:\n" + result.output());
    assertEquals(
        HexFormat.of().formatHex(want),
        parseRoots(result.output()).get(file.toString()),
        result.output());
    assertTrue(result.output().contains("error 2"), result.output());
  }

  /** Lines "hex path" as path to hex; other lines are ignored. */
  private static Map<String, String> parseRoots(String output) {
    Map<String, String> roots = new LinkedHashMap<>();
    for (String line : output.split("\n", -1)) {
      int space = line.indexOf(' ');
      if (space == 64 && line.substring(0, 64).matches("[0-9a-f]{64}")) {
        roots.put(line.substring(65), line.substring(0, 64));
      }
    }
    return roots;
  }
}
