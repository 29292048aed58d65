package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadFatBinary;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

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
 * stream when null). Algorithm numbers are {@link HashAlgorithm#ordinal()} (hashes.cuh).
 */
final class CudaKernels {
  private static final int THREADS = 128;
  private static final int REDUCE_THREADS = 256;

  private final CUmodule module = new CUmodule();
  private final CUfunction leaves = new CUfunction();
  private final CUfunction level = new CUfunction();
  // SHA-256 alone: 72 registers and no large stack frame, against 128 and 1.3 KB for the kernels
  // that carry every algorithm's state (ptxas -v, sm_90).
  private final CUfunction sha256Leaves = new CUfunction();
  private final CUfunction sha256Level = new CUfunction();
  private final CUfunction expand = new CUfunction();
  private final CUfunction reduce = new CUfunction();
  private final CUfunction packedLeaves = new CUfunction();
  private final CUfunction packedRoots = new CUfunction();

  /** Loads the fatbin; JCuda's PTX JIT predates nvcc 13's PTX, so the cubins in it are what loads. */
  CudaKernels(byte[] fatbin) {
    cuModuleLoadFatBinary(module, fatbin);
    cuModuleGetFunction(leaves, module, "sentry_merkle_alg_leaves");
    cuModuleGetFunction(level, module, "sentry_merkle_alg_level");
    cuModuleGetFunction(sha256Leaves, module, "sentry_merkle_leaves");
    cuModuleGetFunction(sha256Level, module, "sentry_merkle_level");
    cuModuleGetFunction(expand, module, "sentry_lattice_expand_chunks");
    cuModuleGetFunction(reduce, module, "sentry_lattice_reduce");
    cuModuleGetFunction(packedLeaves, module, "sentry_merkle_batch_leaves");
    cuModuleGetFunction(packedRoots, module, "sentry_merkle_batch_roots");
  }

  /** Leaf digests of data[0, length): digest i at out + i d. */
  void leaves(HashAlgorithm algorithm, CUdeviceptr data, long length, long leafSize, CUdeviceptr out, CUstream stream) {
    Pointer[] args = {Pointer.to(data), Pointer.to(new long[] {length}), Pointer.to(new long[] {leafSize}), Pointer.to(out)};
    launch(algorithm == HashAlgorithm.SHA256 ? sha256Leaves : leaves, algorithm, leafCount(length, leafSize), stream, args);
  }

  /**
   * Reduces m >= 1 digests at {@code in} level by level, ping-ponging with {@code scratch} (room
   * for ceil(m / 2) digests), and returns whichever of the two will hold the root at its start.
   */
  CUdeviceptr reduceToRoot(HashAlgorithm algorithm, CUdeviceptr in, CUdeviceptr scratch, long m, CUstream stream) {
    CUdeviceptr out = scratch;
    for (; m > 1; m = (m + 1) / 2) {
      Pointer[] args = {Pointer.to(in), Pointer.to(new long[] {m}), Pointer.to(out)};
      launch(algorithm == HashAlgorithm.SHA256 ? sha256Level : level, algorithm, (m + 1) / 2, stream, args);
      CUdeviceptr t = in;
      in = out;
      out = t;
    }
    return in;
  }

  /**
   * Adds the lattice elements of data[0, length), the bytes at stream offset {@code base}, to
   * {@code lanes}, using {@code expansions} (room for one 2048-byte expansion per chunk).
   */
  void latticeAdd(CUdeviceptr data, long length, long leafSize, long base, CUdeviceptr expansions, CUdeviceptr lanes, CUstream stream) {
    long chunks = leafCount(length, leafSize);
    cuLaunchKernel(
        expand, grid(chunks), 1, 1, THREADS, 1, 1, 0, stream,
        Pointer.to(
            Pointer.to(data), Pointer.to(new long[] {length}), Pointer.to(new long[] {leafSize}),
            Pointer.to(new long[] {base}), Pointer.to(expansions)),
        null);
    cuLaunchKernel(
        reduce, LtHash16.LANES, 1, 1, REDUCE_THREADS, 1, 1, REDUCE_THREADS * 4, stream,
        Pointer.to(Pointer.to(expansions), Pointer.to(new long[] {chunks}), Pointer.to(lanes)),
        null);
  }

  /**
   * Roots of {@code rows} files packed in {@code data} as the row {@code table} describes (see
   * merkle_batch.cuh), written to {@code roots}; {@code digests} holds every row's leaves.
   */
  void packedRoots(
      HashAlgorithm algorithm, CUdeviceptr data, CUdeviceptr table, int rows, long leafTotal, long leafSize,
      CUdeviceptr digests, CUdeviceptr roots, CUstream stream) {
    Pointer alg = Pointer.to(new int[] {algorithm.ordinal()});
    if (leafTotal > 0) {
      cuLaunchKernel(
          packedLeaves, grid(leafTotal), 1, 1, THREADS, 1, 1, 0, stream,
          Pointer.to(
              alg, Pointer.to(data), Pointer.to(table), Pointer.to(new long[] {rows}), Pointer.to(new long[] {leafTotal}),
              Pointer.to(new long[] {leafSize}), Pointer.to(digests)),
          null);
    }
    cuLaunchKernel(
        packedRoots, grid(rows), 1, 1, THREADS, 1, 1, 0, stream,
        Pointer.to(
            alg, Pointer.to(table), Pointer.to(new long[] {rows}), Pointer.to(new long[] {leafSize}), Pointer.to(digests),
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
  private static void launch(CUfunction kernel, HashAlgorithm algorithm, long items, CUstream stream, Pointer[] args) {
    Pointer parameters;
    if (algorithm == HashAlgorithm.SHA256) {
      parameters = Pointer.to(args);
    } else {
      Pointer[] withAlgorithm = new Pointer[args.length + 1];
      withAlgorithm[0] = Pointer.to(new int[] {algorithm.ordinal()});
      System.arraycopy(args, 0, withAlgorithm, 1, args.length);
      parameters = Pointer.to(withAlgorithm);
    }
    cuLaunchKernel(kernel, grid(items), 1, 1, THREADS, 1, 1, 0, stream, parameters, null);
  }

  /** Blocks of THREADS threads, at most 65535: the kernels loop with a grid stride beyond that. */
  private static int grid(long items) {
    return (int) Math.max(1, Math.min((items + THREADS - 1) / THREADS, 65535));
  }
}
