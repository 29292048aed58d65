// RFC 6962 Merkle tree over any algorithm of hashes.cuh, with the same rules as merkle.cuh (which
// stays the SHA-256 fast path): leaf = H(0x00 ‖ chunk), node = H(0x01 ‖ left ‖ right), an odd last
// node carried up unchanged, an empty stream hashing to H(""). Digests of d bytes lie back to back.
#ifndef SENTRY_CUDA_MERKLE_ALG_CUH
#define SENTRY_CUDA_MERKLE_ALG_CUH

#include "hashes.cuh"
#include "merkle.cuh"

SENTRY_HD void sentry_merkle_alg_leaf_at(int alg, const uint8_t *data, uint64_t len,
                                         uint64_t leaf_size, uint64_t i, uint8_t *out) {
  uint64_t start = i * leaf_size;
  uint64_t end = start + leaf_size < len ? start + leaf_size : len;
  sentry_hash_parts(alg, SENTRY_MERKLE_LEAF_PREFIX, data + start, (size_t)(end - start), nullptr, 0,
                    out);
}

SENTRY_HD void sentry_merkle_alg_parent_at(int alg, const uint8_t *level, uint64_t m, uint64_t i,
                                           uint8_t *out) {
  int d = sentry_alg_digest_length(alg);
  const uint8_t *left = level + 2 * i * d;
  if (2 * i + 1 < m) {
    sentry_hash_parts(alg, SENTRY_MERKLE_NODE_PREFIX, left, d, left + d, d, out);
  } else {
    for (int b = 0; b < d; b++) {
      out[b] = left[b];
    }
  }
}

// Reduces m >= 1 digests at level to their root, in place and level by level (parent i overwrites
// slot i, which no later parent of that level reads), and copies the root to out.
SENTRY_HD void sentry_merkle_alg_reduce(int alg, uint8_t *level, uint64_t m, uint8_t *out) {
  int d = sentry_alg_digest_length(alg);
  while (m > 1) {
    uint64_t parents = (m + 1) / 2;
    for (uint64_t i = 0; i < parents; i++) {
      uint8_t parent[SENTRY_MAX_DIGEST];
      sentry_merkle_alg_parent_at(alg, level, m, i, parent);
      for (int b = 0; b < d; b++) {
        level[i * d + b] = parent[b];
      }
    }
    m = parents;
  }
  for (int b = 0; b < d; b++) {
    out[b] = level[b];
  }
}

// Root by the level-by-level reduction the kernels perform; scratch holds leaf_count * d bytes.
SENTRY_HD_FN inline void sentry_merkle_alg_root(int alg, const uint8_t *data, uint64_t len,
                                                uint64_t leaf_size, uint8_t *scratch, uint8_t *out) {
  int d = sentry_alg_digest_length(alg);
  uint64_t m = sentry_merkle_leaf_count(len, leaf_size);
  if (m == 0) {
    sentry_hash_parts(alg, -1, data, 0, nullptr, 0, out);
    return;
  }
  for (uint64_t i = 0; i < m; i++) {
    sentry_merkle_alg_leaf_at(alg, data, len, leaf_size, i, scratch + i * d);
  }
  sentry_merkle_alg_reduce(alg, scratch, m, out);
}

#endif
