// BLAKE2b (RFC 7693) with the full parameter block, written once for host and device. Any digest
// length 1..64, optional key, salt and personalization, and the tree fields BLAKE2X needs (node
// offset, XOF length, node depth, inner length), so blake2xb.cuh builds on it without a copy.
#ifndef SENTRY_CUDA_BLAKE2B_CUH
#define SENTRY_CUDA_BLAKE2B_CUH

#include "sha256.cuh" // SENTRY_HD, SENTRY_UNROLL and the fixed-width integer types

// A function compiled once per kernel on the device rather than inlined at every call.
#ifndef SENTRY_HD_NOINLINE
#ifdef __CUDACC__
#define SENTRY_HD_NOINLINE static __host__ __device__ __noinline__
#else
#define SENTRY_HD_NOINLINE static
#endif
#endif

#define SENTRY_BLAKE2B_BLOCK 128
#define SENTRY_BLAKE2B_MAX_DIGEST 64

// The 64-byte parameter block of RFC 7693 §2.8 and BLAKE2X §2, field by field.
struct sentry_blake2b_params {
  uint8_t digest_length; // 1..64
  uint8_t key_length;    // 0..64
  uint8_t fanout;
  uint8_t depth;
  uint32_t leaf_length;
  uint32_t node_offset;
  uint32_t xof_length; // BLAKE2X: the high half of RFC 7693's 64-bit node offset
  uint8_t node_depth;
  uint8_t inner_length;
  uint8_t salt[16];
  uint8_t personal[16];
};

struct sentry_blake2b_ctx {
  uint64_t h[8];
  uint64_t t[2];
  uint8_t buf[SENTRY_BLAKE2B_BLOCK];
  uint32_t buf_len; // bytes pending in buf, 0..128: a full block stays pending until more input
                    // arrives
  uint8_t digest_length;
};

SENTRY_HD uint64_t sentry_blake2b_iv(int i) {
  const uint64_t iv[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,
                          0xa54ff53a5f1d36f1ull, 0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
                          0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
  return iv[i];
}

SENTRY_HD uint64_t sentry_load64(const uint8_t *p) {
  uint64_t w = 0;
  for (int i = 7; i >= 0; i--) {
    w = (w << 8) | p[i];
  }
  return w;
}

SENTRY_HD uint64_t sentry_rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

// Default parameters of a sequential hash: digest length, key length, fanout 1, depth 1.
SENTRY_HD void sentry_blake2b_default_params(struct sentry_blake2b_params *p, uint8_t digest_length,
                                             uint8_t key_length) {
  uint8_t *raw = (uint8_t *)p;
  for (size_t i = 0; i < sizeof *p; i++) {
    raw[i] = 0;
  }
  p->digest_length = digest_length;
  p->key_length = key_length;
  p->fanout = 1;
  p->depth = 1;
}

// The eight little-endian words of the parameter block (its byte layout, not the struct's).
SENTRY_HD void sentry_blake2b_param_words(const struct sentry_blake2b_params *p, uint64_t w[8]) {
  w[0] = (uint64_t)p->digest_length | (uint64_t)p->key_length << 8 | (uint64_t)p->fanout << 16 |
         (uint64_t)p->depth << 24 | (uint64_t)p->leaf_length << 32;
  w[1] = (uint64_t)p->node_offset | (uint64_t)p->xof_length << 32;
  w[2] = (uint64_t)p->node_depth | (uint64_t)p->inner_length << 8;
  w[3] = 0;
  w[4] = sentry_load64(p->salt);
  w[5] = sentry_load64(p->salt + 8);
  w[6] = sentry_load64(p->personal);
  w[7] = sentry_load64(p->personal + 8);
}

SENTRY_HD int sentry_blake2b_sigma(int round, int i) {
  const uint8_t sigma[10][16] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
      {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
      {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
      {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
      {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
      {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
      {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
      {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
      {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
      {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};
  return sigma[round % 10][i];
}

#define SENTRY_B2B_G(a, b, c, d, x, y)                                                             \
  do {                                                                                             \
    v[a] = v[a] + v[b] + (x);                                                                      \
    v[d] = sentry_rotr64(v[d] ^ v[a], 32);                                                         \
    v[c] = v[c] + v[d];                                                                            \
    v[b] = sentry_rotr64(v[b] ^ v[c], 24);                                                         \
    v[a] = v[a] + v[b] + (y);                                                                      \
    v[d] = sentry_rotr64(v[d] ^ v[a], 16);                                                         \
    v[c] = v[c] + v[d];                                                                            \
    v[b] = sentry_rotr64(v[b] ^ v[c], 63);                                                         \
  } while (0)

// F of RFC 7693 §3.2 over one 128-byte block (any alignment); last selects the final-block flag
// f0. Every loop is unrolled on the device, so sigma(r, i) is a constant, m[] and v[] stay in
// registers and no table is built in local memory. The function is not inlined on the device: the
// unrolled rounds are about 2,000 instructions, and each hash would otherwise carry several copies.
SENTRY_HD_NOINLINE void sentry_blake2b_compress(uint64_t h[8],
                                                const uint8_t block[SENTRY_BLAKE2B_BLOCK],
                                                uint64_t t0, uint64_t t1, int last) {
  uint64_t m[16], v[16];
  SENTRY_UNROLL
  for (int i = 0; i < 16; i++) {
    m[i] = sentry_load64(block + 8 * i);
  }
  SENTRY_UNROLL
  for (int i = 0; i < 8; i++) {
    v[i] = h[i];
    v[i + 8] = sentry_blake2b_iv(i);
  }
  v[12] ^= t0;
  v[13] ^= t1;
  if (last) {
    v[14] = ~v[14];
  }
  SENTRY_UNROLL
  for (int r = 0; r < 12; r++) {
    SENTRY_B2B_G(0, 4, 8, 12, m[sentry_blake2b_sigma(r, 0)], m[sentry_blake2b_sigma(r, 1)]);
    SENTRY_B2B_G(1, 5, 9, 13, m[sentry_blake2b_sigma(r, 2)], m[sentry_blake2b_sigma(r, 3)]);
    SENTRY_B2B_G(2, 6, 10, 14, m[sentry_blake2b_sigma(r, 4)], m[sentry_blake2b_sigma(r, 5)]);
    SENTRY_B2B_G(3, 7, 11, 15, m[sentry_blake2b_sigma(r, 6)], m[sentry_blake2b_sigma(r, 7)]);
    SENTRY_B2B_G(0, 5, 10, 15, m[sentry_blake2b_sigma(r, 8)], m[sentry_blake2b_sigma(r, 9)]);
    SENTRY_B2B_G(1, 6, 11, 12, m[sentry_blake2b_sigma(r, 10)], m[sentry_blake2b_sigma(r, 11)]);
    SENTRY_B2B_G(2, 7, 8, 13, m[sentry_blake2b_sigma(r, 12)], m[sentry_blake2b_sigma(r, 13)]);
    SENTRY_B2B_G(3, 4, 9, 14, m[sentry_blake2b_sigma(r, 14)], m[sentry_blake2b_sigma(r, 15)]);
  }
  SENTRY_UNROLL
  for (int i = 0; i < 8; i++) {
    h[i] ^= v[i] ^ v[i + 8];
  }
}

// Adds a block's 128 bytes to the 128-bit byte counter and compresses it as a non-final block.
SENTRY_HD void sentry_blake2b_absorb(struct sentry_blake2b_ctx *c, const uint8_t *block) {
  c->t[0] += SENTRY_BLAKE2B_BLOCK;
  if (c->t[0] < SENTRY_BLAKE2B_BLOCK) {
    c->t[1]++;
  }
  sentry_blake2b_compress(c->h, block, c->t[0], c->t[1], 0);
}

// A block is compressed only once more input follows it, since the last block needs the final
// flag; so up to a whole block stays pending in buf. Whole blocks are compressed straight from the
// input, without a copy through buf.
SENTRY_HD void sentry_blake2b_update(struct sentry_blake2b_ctx *c, const uint8_t *in, size_t len) {
  size_t room = SENTRY_BLAKE2B_BLOCK - c->buf_len;
  if (len > room) {
    for (size_t i = 0; i < room; i++) {
      c->buf[c->buf_len + i] = in[i];
    }
    sentry_blake2b_absorb(c, c->buf);
    c->buf_len = 0;
    in += room;
    len -= room;
    while (len > SENTRY_BLAKE2B_BLOCK) {
      sentry_blake2b_absorb(c, in);
      in += SENTRY_BLAKE2B_BLOCK;
      len -= SENTRY_BLAKE2B_BLOCK;
    }
  }
  for (size_t i = 0; i < len; i++) {
    c->buf[c->buf_len + i] = in[i];
  }
  c->buf_len += (uint32_t)len;
}

// Starts a hash with explicit parameters; key (key_length bytes) may be null when key_length is 0.
SENTRY_HD void sentry_blake2b_init_params(struct sentry_blake2b_ctx *c,
                                          const struct sentry_blake2b_params *p,
                                          const uint8_t *key) {
  uint64_t w[8];
  sentry_blake2b_param_words(p, w);
  for (int i = 0; i < 8; i++) {
    c->h[i] = sentry_blake2b_iv(i) ^ w[i];
  }
  c->t[0] = 0;
  c->t[1] = 0;
  c->buf_len = 0;
  c->digest_length = p->digest_length;
  if (p->key_length > 0) {
    // The key is absorbed as a whole zero-padded first block.
    uint8_t block[SENTRY_BLAKE2B_BLOCK];
    for (int i = 0; i < SENTRY_BLAKE2B_BLOCK; i++) {
      block[i] = i < p->key_length ? key[i] : 0;
    }
    sentry_blake2b_update(c, block, SENTRY_BLAKE2B_BLOCK);
  }
}

SENTRY_HD void sentry_blake2b_init(struct sentry_blake2b_ctx *c, uint8_t digest_length) {
  struct sentry_blake2b_params p;
  sentry_blake2b_default_params(&p, digest_length, 0);
  sentry_blake2b_init_params(c, &p, nullptr);
}

// Compresses the pending bytes as the final block, leaving the hash in c->h (little-endian words).
SENTRY_HD void sentry_blake2b_finish(struct sentry_blake2b_ctx *c) {
  c->t[0] += c->buf_len;
  if (c->t[0] < c->buf_len) {
    c->t[1]++;
  }
  for (uint32_t i = c->buf_len; i < SENTRY_BLAKE2B_BLOCK; i++) {
    c->buf[i] = 0;
  }
  sentry_blake2b_compress(c->h, c->buf, c->t[0], c->t[1], 1);
}

// Writes the first n bytes of the little-endian words h.
SENTRY_HD void sentry_blake2b_store(const uint64_t h[8], int n, uint8_t *out) {
  for (int i = 0; i < n; i++) {
    out[i] = (uint8_t)(h[i / 8] >> (8 * (i % 8)));
  }
}

// Writes digest_length bytes.
SENTRY_HD void sentry_blake2b_final(struct sentry_blake2b_ctx *c, uint8_t *out) {
  sentry_blake2b_finish(c);
  sentry_blake2b_store(c->h, c->digest_length, out);
}

SENTRY_HD void sentry_blake2b(const uint8_t *in, size_t len, uint8_t digest_length, uint8_t *out) {
  struct sentry_blake2b_ctx c;
  sentry_blake2b_init(&c, digest_length);
  sentry_blake2b_update(&c, in, len);
  sentry_blake2b_final(&c, out);
}

#endif
