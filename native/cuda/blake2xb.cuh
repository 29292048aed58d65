// BLAKE2Xb (the BLAKE2X paper, over BLAKE2b), matching org.sentryml.core.hashing.Blake2Xb: the root
// is BLAKE2b-512 with fanout 1, depth 1 and the XOF length in the parameter block; output node i is
// BLAKE2b of H0 alone with digest length min(64, rest), fanout 0, depth 0, leaf length 64, node
// offset i, the XOF length, inner length 64. Output lengths 1..2^32 - 2 (the lattice uses 2048).
#ifndef SENTRY_CUDA_BLAKE2XB_CUH
#define SENTRY_CUDA_BLAKE2XB_CUH

#include "blake2b.cuh"

struct sentry_blake2xb_ctx {
  struct sentry_blake2b_ctx root;
  uint32_t out_len;
};

// key (key_length 0..64 bytes) keys the root only, as in the BLAKE2X paper; null when unkeyed.
SENTRY_HD void sentry_blake2xb_init_key(struct sentry_blake2xb_ctx *c, uint32_t out_len,
                                        const uint8_t *key, uint8_t key_length) {
  struct sentry_blake2b_params p;
  sentry_blake2b_default_params(&p, SENTRY_BLAKE2B_MAX_DIGEST, key_length);
  p.xof_length = out_len;
  sentry_blake2b_init_params(&c->root, &p, key);
  c->out_len = out_len;
}

SENTRY_HD void sentry_blake2xb_init(struct sentry_blake2xb_ctx *c, uint32_t out_len) {
  sentry_blake2xb_init_key(c, out_len, nullptr, 0);
}

SENTRY_HD void sentry_blake2xb_update(struct sentry_blake2xb_ctx *c, const uint8_t *in, size_t len) {
  sentry_blake2b_update(&c->root, in, len);
}

// Writes out_len bytes; output nodes are independent, so a device may also split this loop.
SENTRY_HD void sentry_blake2xb_final(struct sentry_blake2xb_ctx *c, uint8_t *out) {
  uint8_t h0[SENTRY_BLAKE2B_MAX_DIGEST];
  sentry_blake2b_final(&c->root, h0);
  uint32_t node = 0;
  for (uint64_t pos = 0; pos < c->out_len; pos += SENTRY_BLAKE2B_MAX_DIGEST, node++) {
    uint64_t rest = c->out_len - pos;
    struct sentry_blake2b_params p;
    sentry_blake2b_default_params(&p, (uint8_t)(rest < 64 ? rest : 64), 0);
    p.fanout = 0;
    p.depth = 0;
    p.leaf_length = SENTRY_BLAKE2B_MAX_DIGEST;
    p.node_offset = node;
    p.xof_length = c->out_len;
    p.inner_length = SENTRY_BLAKE2B_MAX_DIGEST;
    struct sentry_blake2b_ctx b;
    sentry_blake2b_init_params(&b, &p, nullptr);
    sentry_blake2b_update(&b, h0, SENTRY_BLAKE2B_MAX_DIGEST);
    sentry_blake2b_final(&b, out + pos);
  }
}

SENTRY_HD void sentry_blake2xb(const uint8_t *in, size_t len, uint32_t out_len, uint8_t *out) {
  struct sentry_blake2xb_ctx c;
  sentry_blake2xb_init(&c, out_len);
  sentry_blake2xb_update(&c, in, len);
  sentry_blake2xb_final(&c, out);
}

#endif
