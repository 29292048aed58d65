package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.testkit.RepositoryFiles;

/**
 * The cuda engine passes {@link HashAlgorithm#nativeNumber()} to the kernels as their algorithm
 * number: the enum of native/cuda/hashes.cuh must number the same algorithms the same way.
 */
class KernelAlgorithmNumberingTest {
  @Test
  void kernelAlgorithmNumbersAreTheJavaNativeNumbers() throws Exception {
    String header = Files.readString(RepositoryFiles.locate("native/cuda/hashes.cuh"));
    Matcher m = Pattern.compile("SENTRY_(\\w+) = (\\d+)").matcher(header);
    Map<String, Integer> kernel = new LinkedHashMap<>();
    while (m.find()) {
      kernel.put(m.group(1), Integer.valueOf(m.group(2)));
    }
    Map<String, Integer> java = new LinkedHashMap<>();
    for (HashAlgorithm a : HashAlgorithm.values()) {
      java.put(a.name(), a.nativeNumber());
    }
    assertEquals(java, kernel);
  }
}
