package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataEx;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.nio.ByteBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.LtHash16;

/**
 * The kernels of native/cuda/kernels.cu, loaded from the packaged fatbin into the current context,
 * with one typed launch method each. Launches are asynchronous on the given stream (the default
 * stream when null). Algorithm numbers are {@link HashAlgorithm#nativeNumber()} (hashes.cuh).
 */
final class CudaKernels {
  /** Threads per block: SENTRY_BLOCK_THREADS of kernels.cu, which its __launch_bounds__ assume. */
  static final int THREADS = 128;

  private static final int REDUCE_THREADS = 256;

  /** The 128-bit loads of sentry_merkle_leaves_aligned need data and leaves at this alignment. */
  static final int VECTOR_ALIGNMENT = 16;

  private static final int PAGE = 4096;

  private final LoadedModule module = new LoadedModule();
  private final CUfunction leaves = new CUfunction();
  private final CUfunction level = new CUfunction();
  // SHA-256 alone: 64 registers and no stack frame for the aligned leaves, against 128 registers
  // and about 1.1 KB of stack for the kernels that carry every algorithm's state (ptxas -v, sm_90).
  private final CUfunction sha256Leaves = new CUfunction();
  private final CUfunction sha256AlignedLeaves = new CUfunction();
  private final CUfunction sha256Level = new CUfunction();
  private final CUfunction expand = new CUfunction();
  private final CUfunction reduce = new CUfunction();
  private final CUfunction packedLeaves = new CUfunction();
  private final CUfunction packedRoots = new CUfunction();

  /** A module whose handle can be read back, to check that the load really produced one. */
  private static final class LoadedModule extends CUmodule {
    long handle() {
      return getNativePointer();
    }
  }

  /**
   * Loads the fatbin (the cubins in it: JCuda's PTX JIT predates nvcc 13's PTX). Not through
   * cuModuleLoadFatBinary, whose JCuda 12.6.0 binding never stores the module it loads, and not
   * from the byte[] itself, which JNI pins wherever the heap put it (8-byte aligned at best): from
   * a copy in a page-aligned direct buffer.
   *
   * @throws IllegalStateException when the driver reports success but hands back no module
   */
  CudaKernels(byte[] fatbin) {
    ByteBuffer image = ByteBuffer.allocateDirect(fatbin.length + 2 * PAGE).alignedSlice(PAGE);
    image.put(0, fatbin);
    cuModuleLoadDataEx(module, Pointer.to(image), 0, new int[0], Pointer.to(new int[0]));
    if (module.handle() == 0) {
      throw new IllegalStateException(
          "cuModuleLoadDataEx returned no module for the packaged kernels");
    }
    cuModuleGetFunction(leaves, module, "sentry_merkle_alg_leaves");
    cuModuleGetFunction(level, module, "sentry_merkle_alg_level");
    cuModuleGetFunction(sha256Leaves, module, "sentry_merkle_leaves");
    cuModuleGetFunction(sha256AlignedLeaves, module, "sentry_merkle_leaves_aligned");
    cuModuleGetFunction(sha256Level, module, "sentry_merkle_level");
    cuModuleGetFunction(expand, module, "sentry_lattice_expand_chunks");
    cuModuleGetFunction(reduce, module, "sentry_lattice_reduce");
    cuModuleGetFunction(packedLeaves, module, "sentry_merkle_batch_leaves");
    cuModuleGetFunction(packedRoots, module, "sentry_merkle_batch_roots");
  }

  /**
   * Leaf digests of data[0, length): digest i at out + i d. SHA-256 takes the 128-bit-load kernel
   * when {@link #vectorLoads} allows it.
   */
  void leaves(
      HashAlgorithm algorithm,
      CUdeviceptr data,
      long length,
      long leafSize,
      CUdeviceptr out,
      CUstream stream) {
    Pointer[] args = {
      Pointer.to(data),
      Pointer.to(new long[] {length}),
      Pointer.to(new long[] {leafSize}),
      Pointer.to(out)
    };
    CUfunction kernel =
        algorithm != HashAlgorithm.SHA256
            ? leaves
            : vectorLoads(data, leafSize) ? sha256AlignedLeaves : sha256Leaves;
    launch(kernel, algorithm, leafCount(length, leafSize), stream, args);
  }

  /**
   * Whether every leaf of data starts at a 16-byte boundary (leaf sizes are powers of two >= 4
   * KiB).
   */
  static boolean vectorLoads(CUdeviceptr data, long leafSize) {
    return ((new DeviceAddress(data).address() | leafSize) % VECTOR_ALIGNMENT) == 0;
  }

  /**
   * Reduces m >= 1 digests at {@code in} level by level, ping-ponging with {@code scratch} (room
   * for ceil(m / 2) digests), and returns whichever of the two will hold the root at its start.
   */
  CUdeviceptr reduceToRoot(
      HashAlgorithm algorithm, CUdeviceptr in, CUdeviceptr scratch, long m, CUstream stream) {
    CUdeviceptr out = scratch;
    for (; m > 1; m = (m + 1) / 2) {
      Pointer[] args = {Pointer.to(in), Pointer.to(new long[] {m}), Pointer.to(out)};
      launch(
          algorithm == HashAlgorithm.SHA256 ? sha256Level : level,
          algorithm,
          (m + 1) / 2,
          stream,
          args);
      CUdeviceptr t = in;
      in = out;
      out = t;
    }
    return in;
  }

  /**
   * Adds the lattice elements of data[0, length), the bytes at stream offset {@code base}, to
   * {@code lanes}, expanding at most {@code capacity} chunks at a time into {@code expansions}
   * (2048 bytes per chunk), so that the scratch memory does not grow with the leaf count.
   */
  void latticeAdd(
      CUdeviceptr data,
      long length,
      long leafSize,
      long base,
      CUdeviceptr expansions,
      long capacity,
      CUdeviceptr lanes,
      CUstream stream) {
    long step = capacity * leafSize;
    for (long start = 0; start < length; start += step) {
      long part = Math.min(step, length - start);
      long chunks = leafCount(part, leafSize);
      cuLaunchKernel(
          expand,
          grid(chunks),
          1,
          1,
          THREADS,
          1,
          1,
          0,
          stream,
          Pointer.to(
              Pointer.to(data.withByteOffset(start)),
              Pointer.to(new long[] {part}),
              Pointer.to(new long[] {leafSize}),
              Pointer.to(new long[] {base + start}),
              Pointer.to(expansions)),
          null);
      cuLaunchKernel(
          reduce,
          LtHash16.LANES,
          1,
          1,
          REDUCE_THREADS,
          1,
          1,
          REDUCE_THREADS * 4,
          stream,
          Pointer.to(Pointer.to(expansions), Pointer.to(new long[] {chunks}), Pointer.to(lanes)),
          null);
    }
  }

  /**
   * Roots of {@code rows} files packed in {@code data} as the row {@code table} describes (see
   * merkle_batch.cuh), written to {@code roots}; {@code digests} holds every row's leaves.
   */
  void packedRoots(
      HashAlgorithm algorithm,
      CUdeviceptr data,
      CUdeviceptr table,
      int rows,
      long leafTotal,
      long leafSize,
      CUdeviceptr digests,
      CUdeviceptr roots,
      CUstream stream) {
    Pointer alg = Pointer.to(new int[] {algorithm.nativeNumber()});
    if (leafTotal > 0) {
      cuLaunchKernel(
          packedLeaves,
          grid(leafTotal),
          1,
          1,
          THREADS,
          1,
          1,
          0,
          stream,
          Pointer.to(
              alg,
              Pointer.to(data),
              Pointer.to(table),
              Pointer.to(new long[] {rows}),
              Pointer.to(new long[] {leafTotal}),
              Pointer.to(new long[] {leafSize}),
              Pointer.to(digests)),
          null);
    }
    cuLaunchKernel(
        packedRoots,
        grid(rows),
        1,
        1,
        THREADS,
        1,
        1,
        0,
        stream,
        Pointer.to(
            alg,
            Pointer.to(table),
            Pointer.to(new long[] {rows}),
            Pointer.to(new long[] {leafSize}),
            Pointer.to(digests),
            Pointer.to(roots)),
        null);
  }

  void unload() {
    cuModuleUnload(module);
  }

  static long leafCount(long length, long leafSize) {
    return length == 0 ? 0 : (length + leafSize - 1) / leafSize;
  }

  /** The SHA-256-only kernels take no algorithm number; the others take it first. */
  private static void launch(
      CUfunction kernel, HashAlgorithm algorithm, long items, CUstream stream, Pointer[] args) {
    Pointer parameters;
    if (algorithm == HashAlgorithm.SHA256) {
      parameters = Pointer.to(args);
    } else {
      Pointer[] withAlgorithm = new Pointer[args.length + 1];
      withAlgorithm[0] = Pointer.to(new int[] {algorithm.nativeNumber()});
      System.arraycopy(args, 0, withAlgorithm, 1, args.length);
      parameters = Pointer.to(withAlgorithm);
    }
    cuLaunchKernel(kernel, grid(items), 1, 1, THREADS, 1, 1, 0, stream, parameters, null);
  }

  /**
   * Blocks of THREADS threads, one item per thread (the kernels have no grid-stride loop): at most
   * 2^31 - 1 blocks in x, 274 billion items, far beyond any buffer the engine hands a kernel.
   */
  static int grid(long items) {
    long blocks = (items + THREADS - 1) / THREADS;
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(items + " items exceed one launch's grid");
    }
    return (int) Math.max(1, blocks);
  }
}
