package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

/** The launch decisions CudaKernels takes on the host, checked without a GPU. */
class CudaKernelsTest {
  /**
   * Pointers by address alone, as a caller with a raw device address (PyTorch's data_ptr) builds
   * them.
   */
  private static CUdeviceptr at(long address) {
    return new CUdeviceptr().withByteOffset(address);
  }

  @Test
  void vectorLoads_needDataAndLeafOn16ByteBoundaries() {
    long base = 0x7f3a_0000_0000L;
    assertTrue(CudaKernels.vectorLoads(at(base), 4096));
    assertTrue(CudaKernels.vectorLoads(at(base + 16), 65536));
    assertTrue(CudaKernels.vectorLoads(at(base).withByteOffset(48), 4096));
    assertFalse(CudaKernels.vectorLoads(at(base + 1), 4096));
    assertFalse(CudaKernels.vectorLoads(at(base + 8), 4096));
    assertFalse(CudaKernels.vectorLoads(at(base).withByteOffset(4), 4096));
    assertFalse(CudaKernels.vectorLoads(at(base), 8));
  }

  @Test
  void grid_isOneThreadPerItemPastTheOld65535BlockCap() {
    assertEquals(1, CudaKernels.grid(0));
    assertEquals(1, CudaKernels.grid(CudaKernels.THREADS));
    assertEquals(2, CudaKernels.grid(CudaKernels.THREADS + 1));
    assertEquals(65536, CudaKernels.grid(65535L * CudaKernels.THREADS + 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> CudaKernels.grid((long) Integer.MAX_VALUE * CudaKernels.THREADS + 1));
  }
}
