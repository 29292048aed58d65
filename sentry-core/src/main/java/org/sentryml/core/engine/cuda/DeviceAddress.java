package org.sentryml.core.engine.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device pointer whose raw address can be read: handed to native code other than JCuda (the
 * cuFile shim) and checked for alignment before a kernel is picked. JCuda keeps the address in
 * protected fields, which a subclass may read on its own instances only; so a pointer allocated
 * elsewhere is first copied into one (the copy shares the address, not the allocation).
 */
final class DeviceAddress extends CUdeviceptr {
  /** A pointer to be set by cuMemAlloc, like any CUdeviceptr. */
  DeviceAddress() {}

  /** The same address as {@code pointer}, byte offset included. */
  DeviceAddress(CUdeviceptr pointer) {
    super(pointer);
  }

  /** The device address this pointer holds (0 before cuMemAlloc). */
  long address() {
    return getNativePointer() + getByteOffset();
  }
}
