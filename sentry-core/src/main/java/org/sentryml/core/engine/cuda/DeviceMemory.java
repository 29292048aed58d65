package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import jcuda.driver.CUdeviceptr;

/** Device memory for the length of a try-with-resources block, in the current context. */
final class DeviceMemory implements AutoCloseable {
  final CUdeviceptr pointer = new CUdeviceptr();

  /**
   * @param bytes at least 1 (cuMemAlloc refuses 0)
   */
  DeviceMemory(long bytes) {
    cuMemAlloc(pointer, Math.max(1, bytes));
  }

  @Override
  public void close() {
    cuMemFree(pointer);
  }
}
