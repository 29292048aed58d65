// SHA-256 (FIPS 180-4) written once for host and device: every function is __host__ __device__
// and uses no library call, so the same source goes into the GPU kernels and the host test binary.
#ifndef SENTRY_CUDA_SHA256_CUH
#define SENTRY_CUDA_SHA256_CUH

#include <stddef.h>
#include <stdint.h>

#ifdef __CUDACC__
#define SENTRY_HD __host__ __device__ __forceinline__
#else
#define SENTRY_HD static inline
#endif

// Full unrolling where it matters on the device (array indices become constants, so the arrays
// live in registers, not local memory); host compilers would warn about the CUDA pragma.
#ifdef __CUDA_ARCH__
#define SENTRY_UNROLL _Pragma("unroll")
#else
#define SENTRY_UNROLL
#endif

#define SENTRY_SHA256_DIGEST 32
#define SENTRY_SHA256_BLOCK 64

struct sentry_sha256_ctx {
  uint32_t h[8];
  uint8_t buf[SENTRY_SHA256_BLOCK];
  uint32_t buf_len;   // bytes pending in buf, always < 64 between calls
  uint64_t total_len; // bytes absorbed so far
};

SENTRY_HD uint32_t sentry_sha256_k(int i) {
  // Round constants (FIPS 180-4 §4.2.2), kept in a function so that device code does not need a
  // __constant__ symbol and host code does not need a separate table.
  const uint32_t k[64] = {
      0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
      0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
      0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
      0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
      0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
      0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
      0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
      0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
      0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
      0xc67178f2u};
  return k[i];
}

SENTRY_HD uint32_t sentry_rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// Compresses one block, given as its 16 big-endian message words, into the state h. The message
// schedule is kept as a rolling window of 16 words (w[i & 15], overwritten in place) rather than
// all 64: a quarter of the registers per GPU thread, so more threads fit on each multiprocessor.
SENTRY_HD void sentry_sha256_compress(uint32_t h[8], uint32_t w[16]) {
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  SENTRY_UNROLL
  for (int i = 0; i < 64; i++) {
    if (i >= 16) {
      uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
      uint32_t s0 = sentry_rotr32(w15, 7) ^ sentry_rotr32(w15, 18) ^ (w15 >> 3);
      uint32_t s1 = sentry_rotr32(w2, 17) ^ sentry_rotr32(w2, 19) ^ (w2 >> 10);
      w[i & 15] += s0 + w[(i - 7) & 15] + s1;
    }
    uint32_t t1 = hh + (sentry_rotr32(e, 6) ^ sentry_rotr32(e, 11) ^ sentry_rotr32(e, 25)) +
                  ((e & f) ^ (~e & g)) + sentry_sha256_k(i) + w[i & 15];
    uint32_t t2 = (sentry_rotr32(a, 2) ^ sentry_rotr32(a, 13) ^ sentry_rotr32(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

// Compresses one 64-byte block, read byte by byte (any alignment), into the state h.
SENTRY_HD void sentry_sha256_block(uint32_t h[8], const uint8_t *block) {
  uint32_t w[16];
  SENTRY_UNROLL
  for (int i = 0; i < 16; i++) {
    w[i] = ((uint32_t)block[4 * i] << 24) | ((uint32_t)block[4 * i + 1] << 16) |
           ((uint32_t)block[4 * i + 2] << 8) | (uint32_t)block[4 * i + 3];
  }
  sentry_sha256_compress(h, w);
}

// The initial hash value H(0) of FIPS 180-4 §5.3.3.
SENTRY_HD void sentry_sha256_iv(uint32_t h[8]) {
  h[0] = 0x6a09e667u;
  h[1] = 0xbb67ae85u;
  h[2] = 0x3c6ef372u;
  h[3] = 0xa54ff53au;
  h[4] = 0x510e527fu;
  h[5] = 0x9b05688cu;
  h[6] = 0x1f83d9abu;
  h[7] = 0x5be0cd19u;
}

SENTRY_HD void sentry_sha256_init(sentry_sha256_ctx *ctx) {
  sentry_sha256_iv(ctx->h);
  ctx->buf_len = 0;
  ctx->total_len = 0;
}

SENTRY_HD void sentry_sha256_update(sentry_sha256_ctx *ctx, const uint8_t *data, size_t len) {
  ctx->total_len += len;
  if (ctx->buf_len > 0) {
    // Top up the pending partial block first.
    size_t take = SENTRY_SHA256_BLOCK - ctx->buf_len;
    if (take > len) {
      take = len;
    }
    for (size_t i = 0; i < take; i++) {
      ctx->buf[ctx->buf_len + i] = data[i];
    }
    ctx->buf_len += (uint32_t)take;
    data += take;
    len -= take;
    if (ctx->buf_len < SENTRY_SHA256_BLOCK) {
      return;
    }
    sentry_sha256_block(ctx->h, ctx->buf);
    ctx->buf_len = 0;
  }
  while (len >= SENTRY_SHA256_BLOCK) {
    sentry_sha256_block(ctx->h, data);
    data += SENTRY_SHA256_BLOCK;
    len -= SENTRY_SHA256_BLOCK;
  }
  // Here the buffer is empty and len < 64.
  for (size_t i = 0; i < len && i < SENTRY_SHA256_BLOCK; i++) {
    ctx->buf[i] = data[i];
  }
  ctx->buf_len = (uint32_t)len;
}

SENTRY_HD void sentry_sha256_final(sentry_sha256_ctx *ctx, uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint64_t bits = ctx->total_len * 8u;
  ctx->buf[ctx->buf_len++] = 0x80;
  if (ctx->buf_len > 56) {
    while (ctx->buf_len < SENTRY_SHA256_BLOCK) {
      ctx->buf[ctx->buf_len++] = 0;
    }
    sentry_sha256_block(ctx->h, ctx->buf);
    ctx->buf_len = 0;
  }
  while (ctx->buf_len < 56) {
    ctx->buf[ctx->buf_len++] = 0;
  }
  for (int i = 0; i < 8; i++) {
    ctx->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  }
  sentry_sha256_block(ctx->h, ctx->buf);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)ctx->h[i];
  }
  ctx->buf_len = 0;
}

// One-shot SHA-256 of data[0, len).
SENTRY_HD void sentry_sha256(const uint8_t *data, size_t len, uint8_t out[SENTRY_SHA256_DIGEST]) {
  sentry_sha256_ctx ctx;
  sentry_sha256_init(&ctx);
  sentry_sha256_update(&ctx, data, len);
  sentry_sha256_final(&ctx, out);
}

// One-shot SHA-256 of prefix ‖ a[0, a_len) ‖ b[0, b_len) (either pointer may be null with length 0):
// the shape of both Merkle hashes, without staging a concatenation buffer.
SENTRY_HD void sentry_sha256_prefixed(uint8_t prefix, const uint8_t *a, size_t a_len,
                                      const uint8_t *b, size_t b_len,
                                      uint8_t out[SENTRY_SHA256_DIGEST]) {
  sentry_sha256_ctx ctx;
  sentry_sha256_init(&ctx);
  sentry_sha256_update(&ctx, &prefix, 1);
  if (a_len > 0) {
    sentry_sha256_update(&ctx, a, a_len);
  }
  if (b_len > 0) {
    sentry_sha256_update(&ctx, b, b_len);
  }
  sentry_sha256_final(&ctx, out);
}

#endif
