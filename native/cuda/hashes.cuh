// One entry point per use over every Merkle hash algorithm, numbered as in Java's HashAlgorithm
// ordinal order so that a kernel argument selects the algorithm without a recompile.
#ifndef SENTRY_CUDA_HASHES_CUH
#define SENTRY_CUDA_HASHES_CUH

#include "blake2xb.cuh"
#include "sha3.cuh"

enum sentry_alg { SENTRY_SHA256 = 0, SENTRY_BLAKE2B = 1, SENTRY_SHA3_256 = 2, SENTRY_BLAKE2XB = 3 };

#define SENTRY_MAX_DIGEST 64

// Digest length of the algorithm as a plain or Merkle hash (blake2b and blake2xb: 64 bytes).
SENTRY_HD int sentry_alg_digest_length(int alg) {
  return alg == SENTRY_SHA256 || alg == SENTRY_SHA3_256 ? 32 : 64;
}

// H(prefix ‖ a ‖ b) with the prefix byte omitted when prefix < 0: the leaf and node hashes of every
// algorithm without copying the chunk.
SENTRY_HD void sentry_hash_parts(int alg, int prefix, const uint8_t *a, size_t alen,
                                 const uint8_t *b, size_t blen, uint8_t *out) {
  uint8_t p = (uint8_t)prefix;
  size_t plen = prefix < 0 ? 0 : 1;
  if (alg == SENTRY_SHA256) {
    sentry_sha256_ctx c;
    sentry_sha256_init(&c);
    sentry_sha256_update(&c, &p, plen);
    sentry_sha256_update(&c, a, alen);
    sentry_sha256_update(&c, b, blen);
    sentry_sha256_final(&c, out);
  } else if (alg == SENTRY_SHA3_256) {
    struct sentry_sha3_ctx c;
    sentry_sha3_init(&c);
    sentry_sha3_update(&c, &p, plen);
    sentry_sha3_update(&c, a, alen);
    sentry_sha3_update(&c, b, blen);
    sentry_sha3_final(&c, out);
  } else if (alg == SENTRY_BLAKE2B) {
    struct sentry_blake2b_ctx c;
    sentry_blake2b_init(&c, SENTRY_BLAKE2B_MAX_DIGEST);
    sentry_blake2b_update(&c, &p, plen);
    sentry_blake2b_update(&c, a, alen);
    sentry_blake2b_update(&c, b, blen);
    sentry_blake2b_final(&c, out);
  } else {
    struct sentry_blake2xb_ctx c;
    sentry_blake2xb_init(&c, SENTRY_BLAKE2B_MAX_DIGEST);
    sentry_blake2xb_update(&c, &p, plen);
    sentry_blake2xb_update(&c, a, alen);
    sentry_blake2xb_update(&c, b, blen);
    sentry_blake2xb_final(&c, out);
  }
}

#endif
