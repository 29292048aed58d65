// SHA3-256 (FIPS 202): Keccak-f[1600] sponge with rate 136 bytes and domain bits 01, written once
// for host and device.
#ifndef SENTRY_CUDA_SHA3_CUH
#define SENTRY_CUDA_SHA3_CUH

#include "blake2b.cuh" // sentry_load64 and SENTRY_HD

#define SENTRY_SHA3_256_DIGEST 32
#define SENTRY_SHA3_256_RATE 136

struct sentry_sha3_ctx {
  uint64_t s[25];
  uint32_t pos; // bytes absorbed into the current rate block
};

SENTRY_HD uint64_t sentry_rotl64(uint64_t x, int n) {
  return n == 0 ? x : (x << n) | (x >> (64 - n));
}

SENTRY_HD void sentry_keccak_f1600(uint64_t s[25]) {
  const uint64_t rc[24] = {
      0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
      0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
      0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
      0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
      0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
      0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};
  // Rotation offsets r[x + 5y] of the rho step.
  const int rho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                       25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
  for (int round = 0; round < 24; round++) {
    uint64_t c[5], b[25];
    for (int x = 0; x < 5; x++) {
      c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
    }
    for (int x = 0; x < 5; x++) {
      uint64_t d = c[(x + 4) % 5] ^ sentry_rotl64(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) {
        s[x + y] ^= d;
      }
    }
    // rho and pi: lane (x, y) moves to (y, 2x + 3y).
    for (int x = 0; x < 5; x++) {
      for (int y = 0; y < 5; y++) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = sentry_rotl64(s[x + 5 * y], rho[x + 5 * y]);
      }
    }
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; x++) {
        s[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
      }
    }
    s[0] ^= rc[round];
  }
}

SENTRY_HD void sentry_sha3_init(struct sentry_sha3_ctx *c) {
  for (int i = 0; i < 25; i++) {
    c->s[i] = 0;
  }
  c->pos = 0;
}

SENTRY_HD void sentry_sha3_update(struct sentry_sha3_ctx *c, const uint8_t *in, size_t len) {
  for (size_t i = 0; i < len; i++) {
    c->s[c->pos / 8] ^= (uint64_t)in[i] << (8 * (c->pos % 8));
    if (++c->pos == SENTRY_SHA3_256_RATE) {
      sentry_keccak_f1600(c->s);
      c->pos = 0;
    }
  }
}

SENTRY_HD void sentry_sha3_final(struct sentry_sha3_ctx *c, uint8_t out[SENTRY_SHA3_256_DIGEST]) {
  c->s[c->pos / 8] ^= (uint64_t)0x06 << (8 * (c->pos % 8));
  c->s[(SENTRY_SHA3_256_RATE - 1) / 8] ^= (uint64_t)0x80 << (8 * ((SENTRY_SHA3_256_RATE - 1) % 8));
  sentry_keccak_f1600(c->s);
  for (int i = 0; i < SENTRY_SHA3_256_DIGEST; i++) {
    out[i] = (uint8_t)(c->s[i / 8] >> (8 * (i % 8)));
  }
}

SENTRY_HD void sentry_sha3_256(const uint8_t *in, size_t len, uint8_t out[SENTRY_SHA3_256_DIGEST]) {
  struct sentry_sha3_ctx c;
  sentry_sha3_init(&c);
  sentry_sha3_update(&c, in, len);
  sentry_sha3_final(&c, out);
}

#endif
