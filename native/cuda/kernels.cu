// Merkle kernels over the shared __host__ __device__ hash core. Names are extern "C" so that the
// driver API (cuModuleGetFunction) finds them unmangled once the fatbin is loaded.
//
// A tree is built by one launch of sentry_merkle_leaves (or sentry_merkle_leaves_aligned) and then
// sentry_merkle_level launches, each turning a level of m digests into (m + 1) / 2, ping-ponging
// between two device buffers, until one digest is left; an empty stream's root (SHA-256 of "")
// needs no launch.
//
// Every kernel but sentry_lattice_reduce does one item (leaf, parent, chunk or row) per thread and
// is launched with ceil(items / SENTRY_BLOCK_THREADS) blocks of SENTRY_BLOCK_THREADS threads
// (CudaKernels.THREADS in Java; KernelLaunchBoundsTest keeps the two equal). No grid-stride loop:
// its counters would stay live across the whole hash, and the SHA-256 leaf kernels then spill.
// __launch_bounds__ gives ptxas the block size and how many blocks must fit on one multiprocessor,
// which caps the registers per thread: 65536 / (128 threads x 8 blocks) = 64 for the SHA-256
// kernels, so that the 132 SMs of an H100/H200 hold 1,056 blocks (135,168 leaves) in one wave; the
// kernels that carry every algorithm's state need more and are held to 128 (4 blocks per SM).
#include "merkle_vector.cuh"

#define SENTRY_BLOCK_THREADS 128
#define SENTRY_SHA256_BLOCKS_PER_SM 8
#define SENTRY_ALG_BLOCKS_PER_SM 4

// The item of the calling thread.
__device__ __forceinline__ uint64_t sentry_thread_item() {
  return (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
}

// One leaf per thread: digest i (32 bytes at out + 32 i) = SHA-256(0x00 ‖ data[i leaf, min((i + 1)
// leaf, len))). data is the device copy of bytes [0, len) of the stream (or of a batch of whole
// leaves, with len counted from the batch start).
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_SHA256_BLOCKS_PER_SM)
sentry_merkle_leaves(const uint8_t *__restrict__ data, uint64_t len, uint64_t leaf_size,
                     uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < sentry_merkle_leaf_count(len, leaf_size)) {
    sentry_merkle_leaf_at(data, len, leaf_size, i, out + i * SENTRY_SHA256_DIGEST);
  }
}

// As sentry_merkle_leaves, for data and leaf_size both multiples of 16 (the engine checks before it
// picks this kernel): four 128-bit loads per 64-byte block instead of 64 byte loads, and the whole
// state in registers (merkle_vector.cuh).
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_SHA256_BLOCKS_PER_SM)
sentry_merkle_leaves_aligned(const uint8_t *__restrict__ data, uint64_t len, uint64_t leaf_size,
                             uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < sentry_merkle_leaf_count(len, leaf_size)) {
    sentry_merkle_leaf_at_aligned(data, len, leaf_size, i, out + i * SENTRY_SHA256_DIGEST);
  }
}

// One parent per thread: out holds (m + 1) / 2 digests, parent i = SHA-256(0x01 ‖ in[2i] ‖ in[2i + 1]),
// or in[2i] carried up unchanged when it is the odd last digest. in and out must not overlap.
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_SHA256_BLOCKS_PER_SM)
sentry_merkle_level(const uint8_t *__restrict__ in, uint64_t m, uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < (m + 1) / 2) {
    sentry_merkle_parent_at(in, m, i, out + i * SENTRY_SHA256_DIGEST);
  }
}

// ---- Every algorithm (hashes.cuh numbering: 0 sha256, 1 blake2b, 2 sha3-256, 3 blake2xb). ----
#include "lattice.cuh"
#include "merkle_alg.cuh"

// One leaf per thread, digest i at out + i d (d = 32 or 64 bytes by algorithm).
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_ALG_BLOCKS_PER_SM)
sentry_merkle_alg_leaves(int alg, const uint8_t *__restrict__ data, uint64_t len,
                         uint64_t leaf_size, uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < sentry_merkle_leaf_count(len, leaf_size)) {
    sentry_merkle_alg_leaf_at(alg, data, len, leaf_size, i, out + i * sentry_alg_digest_length(alg));
  }
}

// One parent per thread, as sentry_merkle_level; in and out must not overlap.
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_ALG_BLOCKS_PER_SM)
sentry_merkle_alg_level(int alg, const uint8_t *__restrict__ in, uint64_t m,
                        uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < (m + 1) / 2) {
    sentry_merkle_alg_parent_at(alg, in, m, i, out + i * sentry_alg_digest_length(alg));
  }
}

// One lattice element per thread: chunk i of data[0, len) (stream offset base + i leaf) expanded to
// 2048 bytes at out + 2048 i.
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_ALG_BLOCKS_PER_SM)
sentry_lattice_expand_chunks(const uint8_t *__restrict__ data, uint64_t len, uint64_t leaf_size,
                             uint64_t base, uint8_t *__restrict__ out) {
  uint64_t i = sentry_thread_item();
  if (i < sentry_merkle_leaf_count(len, leaf_size)) {
    uint64_t start = i * leaf_size;
    uint64_t chunk = len - start < leaf_size ? len - start : leaf_size;
    sentry_lattice_expand(base + start, data + start, chunk, out + i * SENTRY_LATTICE_BYTES);
  }
}

// Lane-wise sum of count expansions into lanes (1024 uint16, added to what lanes already holds so
// batches accumulate). Launch with 1024 blocks (one lane each) of a power-of-two blockDim <= 1024
// and blockDim * 4 bytes of shared memory: threads sum strided elements, then a tree reduction in
// shared memory. Sums mod 2^16 are associative, so any order gives the Java result.
extern "C" __global__ void sentry_lattice_reduce(const uint8_t *__restrict__ expansions,
                                                 uint64_t count, uint16_t *__restrict__ lanes) {
  extern __shared__ uint32_t partial[];
  uint32_t lane = blockIdx.x;
  uint32_t sum = 0;
  for (uint64_t e = threadIdx.x; e < count; e += blockDim.x) {
    const uint8_t *p = expansions + e * SENTRY_LATTICE_BYTES + 2 * lane;
    sum += (uint32_t)p[0] | (uint32_t)p[1] << 8;
  }
  partial[threadIdx.x] = sum;
  __syncthreads();
  for (uint32_t s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) {
      partial[threadIdx.x] += partial[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    lanes[lane] = (uint16_t)(lanes[lane] + partial[0]);
  }
}

// ---- Many small files in one launch (merkle_batch.cuh): a table of (offset, length, first leaf). ----
#include "merkle_batch.cuh"

// One leaf per thread over all rows' leaves (total_leaves of them), digest g at digests + g d.
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_ALG_BLOCKS_PER_SM)
sentry_merkle_batch_leaves(int alg, const uint8_t *__restrict__ data,
                           const sentry_batch_row *__restrict__ rows, uint64_t count,
                           uint64_t total_leaves, uint64_t leaf_size,
                           uint8_t *__restrict__ digests) {
  uint64_t g = sentry_thread_item();
  if (g < total_leaves) {
    sentry_batch_leaf_at(alg, data, rows, count, leaf_size, g, digests);
  }
}

// One row per thread: reduces its leaf digests in place and writes its root to roots + r d. Rows
// are small files (the engine batches only files of a few leaves), so a sequential reduction per
// thread costs less than extra level launches.
extern "C" __global__ void __launch_bounds__(SENTRY_BLOCK_THREADS, SENTRY_ALG_BLOCKS_PER_SM)
sentry_merkle_batch_roots(int alg, const sentry_batch_row *__restrict__ rows, uint64_t count,
                          uint64_t leaf_size, uint8_t *digests, uint8_t *__restrict__ roots) {
  uint64_t r = sentry_thread_item();
  if (r < count) {
    sentry_batch_root_at(alg, rows, leaf_size, r, digests, roots);
  }
}
