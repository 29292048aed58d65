// Merkle kernels over the shared __host__ __device__ hash core. Names are extern "C" so that the
// driver API (cuModuleGetFunction) finds them unmangled once the fatbin is loaded.
//
// A tree is built by one launch of sentry_merkle_leaves and then sentry_merkle_level launches, each
// turning a level of m digests into (m + 1) / 2, ping-ponging between two device buffers, until one
// digest is left; an empty stream's root (SHA-256 of "") needs no launch.
#include "merkle.cuh"

// One leaf per thread: digest i (32 bytes at out + 32 i) = SHA-256(0x00 ‖ data[i leaf, min((i + 1)
// leaf, len))). data is the device copy of bytes [0, len) of the stream (or of a batch of whole
// leaves, with len counted from the batch start).
extern "C" __global__ void sentry_merkle_leaves(const uint8_t *__restrict__ data, uint64_t len,
                                                uint64_t leaf_size, uint8_t *__restrict__ out) {
  uint64_t n = sentry_merkle_leaf_count(len, leaf_size);
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    sentry_merkle_leaf_at(data, len, leaf_size, i, out + i * SENTRY_SHA256_DIGEST);
  }
}

// One parent per thread: out holds (m + 1) / 2 digests, parent i = SHA-256(0x01 ‖ in[2i] ‖ in[2i + 1]),
// or in[2i] carried up unchanged when it is the odd last digest. in and out must not overlap.
extern "C" __global__ void sentry_merkle_level(const uint8_t *__restrict__ in, uint64_t m,
                                               uint8_t *__restrict__ out) {
  uint64_t parents = (m + 1) / 2;
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < parents; i += stride) {
    sentry_merkle_parent_at(in, m, i, out + i * SENTRY_SHA256_DIGEST);
  }
}
