package org.sentryml.core.engine.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device pointer whose raw address can be handed to native code other than JCuda (the cuFile
 * shim): JCuda keeps the address in a protected field, which a subclass may read. Allocate it with
 * cuMemAlloc like any CUdeviceptr.
 */
final class DeviceAddress extends CUdeviceptr {
  /** The device address this pointer holds (0 before cuMemAlloc). */
  long address() {
    return getNativePointer() + getByteOffset();
  }
}
