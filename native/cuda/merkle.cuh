// RFC 6962 Merkle tree hash over SHA-256, written once for host and device.
//
// leaf = SHA-256(0x00 ‖ chunk), node = SHA-256(0x01 ‖ left ‖ right). A byte stream of len bytes is
// cut into ceil(len / leaf_size) chunks (the last may be short). The tree has the shape of RFC 6962
// §2.1: the left subtree of n > 1 leaves holds the largest power of two smaller than n leaves.
// Pairing level by level and carrying an odd last node up unchanged gives the same tree; the
// kernels in kernels.cu do that, and sentry_merkle_root_levels below does it on the host with the
// same per-element functions. An empty stream hashes to SHA-256("").
#ifndef SENTRY_CUDA_MERKLE_CUH
#define SENTRY_CUDA_MERKLE_CUH

#include "sha256.cuh"

#ifndef SENTRY_HD_FN
#ifdef __CUDACC__
#define SENTRY_HD_FN __host__ __device__
#else
#define SENTRY_HD_FN static
#endif
#endif

#define SENTRY_MERKLE_LEAF_PREFIX 0x00
#define SENTRY_MERKLE_NODE_PREFIX 0x01

SENTRY_HD void sentry_merkle_leaf_hash(const uint8_t *chunk, size_t len,
                                       uint8_t out[SENTRY_SHA256_DIGEST]) {
  sentry_sha256_prefixed(SENTRY_MERKLE_LEAF_PREFIX, chunk, len, nullptr, 0, out);
}

SENTRY_HD void sentry_merkle_node_hash(const uint8_t left[SENTRY_SHA256_DIGEST],
                                       const uint8_t right[SENTRY_SHA256_DIGEST],
                                       uint8_t out[SENTRY_SHA256_DIGEST]) {
  sentry_sha256_prefixed(SENTRY_MERKLE_NODE_PREFIX, left, SENTRY_SHA256_DIGEST, right,
                         SENTRY_SHA256_DIGEST, out);
}

// Number of leaves of a len-byte stream: 0 for an empty stream.
SENTRY_HD uint64_t sentry_merkle_leaf_count(uint64_t len, uint64_t leaf_size) {
  return len == 0 ? 0 : (len + leaf_size - 1) / leaf_size;
}

// Leaf i of a len-byte stream held in data: the work of one thread of the leaf kernel.
SENTRY_HD void sentry_merkle_leaf_at(const uint8_t *data, uint64_t len, uint64_t leaf_size,
                                     uint64_t i, uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint64_t start = i * leaf_size;
  uint64_t end = start + leaf_size < len ? start + leaf_size : len;
  sentry_merkle_leaf_hash(data + start, (size_t)(end - start), out);
}

// Parent i of a level of m >= 1 digests (32 bytes each, back to back): node(2i, 2i + 1), or digest 2i
// copied unchanged when it is the odd last one. The work of one thread of the level kernel. The
// next level has (m + 1) / 2 digests.
SENTRY_HD void sentry_merkle_parent_at(const uint8_t *level, uint64_t m, uint64_t i,
                                       uint8_t out[SENTRY_SHA256_DIGEST]) {
  const uint8_t *left = level + 2 * i * SENTRY_SHA256_DIGEST;
  if (2 * i + 1 < m) {
    sentry_merkle_node_hash(left, left + SENTRY_SHA256_DIGEST, out);
  } else {
    for (int b = 0; b < SENTRY_SHA256_DIGEST; b++) {
      out[b] = left[b];
    }
  }
}

// Largest power of two strictly smaller than n (n >= 2).
SENTRY_HD uint64_t sentry_merkle_split(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

// Root of leaves [first, first + n) (n >= 1) of a len-byte stream, by the RFC 6962 recursion
// MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two < n. Needs no heap and
// recurses log2(n) deep.
SENTRY_HD_FN inline void sentry_merkle_subtree(const uint8_t *data, uint64_t len,
                                               uint64_t leaf_size, uint64_t first, uint64_t n,
                                               uint8_t out[SENTRY_SHA256_DIGEST]) {
  if (n == 1) {
    sentry_merkle_leaf_at(data, len, leaf_size, first, out);
    return;
  }
  uint64_t k = sentry_merkle_split(n);
  uint8_t left[SENTRY_SHA256_DIGEST];
  uint8_t right[SENTRY_SHA256_DIGEST];
  sentry_merkle_subtree(data, len, leaf_size, first, k, left);
  sentry_merkle_subtree(data, len, leaf_size, first + k, n - k, right);
  sentry_merkle_node_hash(left, right, out);
}

// Reference Merkle root of data[0, len) with leaf_size-byte leaves (leaf_size >= 1), in exactly the
// RFC 6962 shape. This is the routine a device reduction is checked against.
SENTRY_HD_FN inline void sentry_merkle_root(const uint8_t *data, uint64_t len, uint64_t leaf_size,
                                            uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint64_t n = sentry_merkle_leaf_count(len, leaf_size);
  if (n == 0) {
    sentry_sha256(data, 0, out);
    return;
  }
  sentry_merkle_subtree(data, len, leaf_size, 0, n, out);
}

// The same root computed the way the kernels do it: all leaves into scratch, then level after
// level of parents, each written over the front of the same buffer (parent i reads 2i and 2i + 1,
// both >= i, and parents are produced in increasing i, so the in-place sweep is safe on one thread).
// scratch must hold leaf_count * 32 bytes. Host or a single device thread.
SENTRY_HD_FN inline void sentry_merkle_root_levels(const uint8_t *data, uint64_t len,
                                                   uint64_t leaf_size, uint8_t *scratch,
                                                   uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint64_t m = sentry_merkle_leaf_count(len, leaf_size);
  if (m == 0) {
    sentry_sha256(data, 0, out);
    return;
  }
  for (uint64_t i = 0; i < m; i++) {
    sentry_merkle_leaf_at(data, len, leaf_size, i, scratch + i * SENTRY_SHA256_DIGEST);
  }
  while (m > 1) {
    uint64_t parents = (m + 1) / 2;
    for (uint64_t i = 0; i < parents; i++) {
      uint8_t parent[SENTRY_SHA256_DIGEST];
      sentry_merkle_parent_at(scratch, m, i, parent);
      for (int b = 0; b < SENTRY_SHA256_DIGEST; b++) {
        scratch[i * SENTRY_SHA256_DIGEST + b] = parent[b];
      }
    }
    m = parents;
  }
  for (int b = 0; b < SENTRY_SHA256_DIGEST; b++) {
    out[b] = scratch[b];
  }
}

#endif
