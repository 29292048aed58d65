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

// Output node `node` of BLAKE2Xb: BLAKE2b, with the node's parameters, of H0 alone, i.e. of one
// final block holding H0's eight words and zeros. Built straight from H0's words rather than
// through a context, its buffer and byte-wise updates. Not inlined on the device: inlined into the
// 32-node loop of a lattice expansion, its block and words spill the kernels' registers.
SENTRY_HD_NOINLINE void sentry_blake2xb_node(const uint64_t h0[8], uint32_t node,
                                             uint32_t out_len, uint8_t digest_length,
                                             uint8_t *out) {
  struct sentry_blake2b_params p;
  sentry_blake2b_default_params(&p, digest_length, 0);
  p.fanout = 0;
  p.depth = 0;
  p.leaf_length = SENTRY_BLAKE2B_MAX_DIGEST;
  p.node_offset = node;
  p.xof_length = out_len;
  p.inner_length = SENTRY_BLAKE2B_MAX_DIGEST;
  uint64_t w[8], h[8];
  sentry_blake2b_param_words(&p, w);
  uint8_t block[SENTRY_BLAKE2B_BLOCK];
  SENTRY_UNROLL
  for (int i = 0; i < 8; i++) {
    h[i] = sentry_blake2b_iv(i) ^ w[i];
    SENTRY_UNROLL
    for (int b = 0; b < 8; b++) {
      block[8 * i + b] = (uint8_t)(h0[i] >> (8 * b));
      block[SENTRY_BLAKE2B_MAX_DIGEST + 8 * i + b] = 0;
    }
  }
  sentry_blake2b_compress(h, block, SENTRY_BLAKE2B_MAX_DIGEST, 0, 1);
  sentry_blake2b_store(h, digest_length, out);
}

// Writes out_len bytes; output nodes are independent, so a device may also split this loop.
SENTRY_HD void sentry_blake2xb_final(struct sentry_blake2xb_ctx *c, uint8_t *out) {
  sentry_blake2b_finish(&c->root);
  uint32_t node = 0;
  for (uint64_t pos = 0; pos < c->out_len; pos += SENTRY_BLAKE2B_MAX_DIGEST, node++) {
    uint64_t rest = c->out_len - pos;
    sentry_blake2xb_node(c->root.h, node, c->out_len, (uint8_t)(rest < 64 ? rest : 64), out + pos);
  }
}

SENTRY_HD void sentry_blake2xb(const uint8_t *in, size_t len, uint32_t out_len, uint8_t *out) {
  struct sentry_blake2xb_ctx c;
  sentry_blake2xb_init(&c, out_len);
  sentry_blake2xb_update(&c, in, len);
  sentry_blake2xb_final(&c, out);
}

#endif
