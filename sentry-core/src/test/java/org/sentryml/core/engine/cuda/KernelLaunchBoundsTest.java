package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.RepositoryFiles;

/**
 * The engine launches every kernel of native/cuda/kernels.cu but the lattice reduction with {@link
 * CudaKernels#THREADS} threads per block; a kernel whose __launch_bounds__ names a smaller block
 * would refuse the launch, and a larger one would waste the registers it was allowed.
 */
class KernelLaunchBoundsTest {
  @Test
  void everyGridKernelIsBoundedForTheEnginesBlockSize() throws Exception {
    String source = Files.readString(RepositoryFiles.locate("native/cuda/kernels.cu"));
    Matcher threads = Pattern.compile("#define SENTRY_BLOCK_THREADS (\\d+)").matcher(source);
    assertTrue(threads.find(), "kernels.cu defines no SENTRY_BLOCK_THREADS");
    assertEquals(CudaKernels.THREADS, Integer.parseInt(threads.group(1)));
    Matcher kernel =
        Pattern.compile(
                "extern \"C\" __global__ void (__launch_bounds__\\((\\w+),[^)]*\\)\\s+)?(\\w+)\\(")
            .matcher(source);
    List<String> unbounded = new ArrayList<>();
    int kernels = 0;
    while (kernel.find()) {
      kernels++;
      boolean bounded = "SENTRY_BLOCK_THREADS".equals(kernel.group(2));
      if (!bounded && !kernel.group(3).equals("sentry_lattice_reduce")) {
        unbounded.add(kernel.group(3));
      }
    }
    assertEquals(9, kernels, "kernels found in kernels.cu");
    assertEquals(
        List.of(), unbounded, "kernels without __launch_bounds__(SENTRY_BLOCK_THREADS, ...)");
  }
}
