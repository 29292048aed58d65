// SHA3-256 (FIPS 202): Keccak-f[1600] sponge with rate 136 bytes and domain bits 01, written once
// for host and device.
#ifndef SENTRY_CUDA_SHA3_CUH
#define SENTRY_CUDA_SHA3_CUH

#include "blake2b.cuh" // sentry_load64 and SENTRY_HD

#define SENTRY_SHA3_256_DIGEST 32
#define SENTRY_SHA3_256_RATE 136

struct sentry_sha3_ctx {
  uint64_t s[25];
  uint8_t buf[SENTRY_SHA3_256_RATE]; // the pending partial rate block
  uint32_t pos;                      // bytes in buf, always < 136 between calls
};

SENTRY_HD uint64_t sentry_rotl64(uint64_t x, int n) {
  return n == 0 ? x : (x << n) | (x >> (64 - n));
}

// The 24 round constants of the iota step (FIPS 202 §3.2.5), listed once for both tables below.
#define SENTRY_KECCAK_RC                                                                           \
  {0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,     \
   0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,     \
   0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,     \
   0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,     \
   0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,     \
   0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull}

// The round loop stays rolled (24 unrolled rounds would be some 7,000 instructions per copy), so
// its constant is read by a run-time index: from constant memory on the device, where every thread
// of a warp reads the same word (one broadcast), rather than from a table rebuilt in local memory.
#ifdef __CUDACC__
static __constant__ const uint64_t sentry_keccak_rc_device[24] = SENTRY_KECCAK_RC;
#endif
static const uint64_t sentry_keccak_rc_host[24] = SENTRY_KECCAK_RC;

SENTRY_HD uint64_t sentry_keccak_rc(int round) {
#ifdef __CUDA_ARCH__
  return sentry_keccak_rc_device[round];
#else
  return sentry_keccak_rc_host[round];
#endif
}

// Keccak-f[1600] on a copy of the state: with the steps' loops unrolled every lane index is a
// constant, so the 25 lanes live in registers for all 24 rounds. rho and pi run in place along the
// one cycle pi makes of the 24 lanes other than (0, 0), and chi row by row, so that about 32 lanes
// are live at once rather than 55 (state, a second state, column parities).
SENTRY_HD void sentry_keccak_f1600(uint64_t state[25]) {
  // Rotation offsets r[x + 5y] of the rho step.
  const int rho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                       25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
  uint64_t s[25];
  SENTRY_UNROLL
  for (int i = 0; i < 25; i++) {
    s[i] = state[i];
  }
  for (int round = 0; round < 24; round++) {
    uint64_t c[5];
    SENTRY_UNROLL
    for (int x = 0; x < 5; x++) {
      c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
    }
    SENTRY_UNROLL
    for (int x = 0; x < 5; x++) {
      uint64_t d = c[(x + 4) % 5] ^ sentry_rotl64(c[(x + 1) % 5], 1);
      SENTRY_UNROLL
      for (int y = 0; y < 25; y += 5) {
        s[x + y] ^= d;
      }
    }
    // rho and pi: lane (x, y), rotated by r[x + 5y], moves to (y, 2x + 3y). Starting from (1, 0)
    // that map visits every other lane once before it returns.
    uint64_t moving = s[1];
    int x = 1, y = 0;
    SENTRY_UNROLL
    for (int step = 0; step < 24; step++) {
      int to = y + 5 * ((2 * x + 3 * y) % 5);
      uint64_t displaced = s[to];
      s[to] = sentry_rotl64(moving, rho[x + 5 * y]);
      moving = displaced;
      x = to % 5;
      y = to / 5;
    }
    SENTRY_UNROLL
    for (int row = 0; row < 25; row += 5) {
      uint64_t b[5];
      SENTRY_UNROLL
      for (int i = 0; i < 5; i++) {
        b[i] = s[row + i];
      }
      SENTRY_UNROLL
      for (int i = 0; i < 5; i++) {
        s[row + i] = b[i] ^ (~b[(i + 1) % 5] & b[(i + 2) % 5]);
      }
    }
    s[0] ^= sentry_keccak_rc(round);
  }
  SENTRY_UNROLL
  for (int i = 0; i < 25; i++) {
    state[i] = s[i];
  }
}

// XORs one 136-byte rate block (any alignment) into the state, 17 whole little-endian words, and
// permutes. Not inlined on the device: compiled on its own, the state, the words being loaded and
// the permutation fit the registers, where inlined into a kernel that also keeps its context and
// pointers live they spill.
SENTRY_HD_NOINLINE void sentry_sha3_absorb(uint64_t s[25], const uint8_t *block) {
  SENTRY_UNROLL
  for (int i = 0; i < SENTRY_SHA3_256_RATE / 8; i++) {
    s[i] ^= sentry_load64(block + 8 * i);
  }
  sentry_keccak_f1600(s);
}

SENTRY_HD void sentry_sha3_init(struct sentry_sha3_ctx *c) {
  for (int i = 0; i < 25; i++) {
    c->s[i] = 0;
  }
  c->pos = 0;
}

// Bytes are gathered in buf only to complete a partial block; whole blocks are absorbed straight
// from the input.
SENTRY_HD void sentry_sha3_update(struct sentry_sha3_ctx *c, const uint8_t *in, size_t len) {
  if (c->pos > 0) {
    size_t take = SENTRY_SHA3_256_RATE - c->pos;
    if (take > len) {
      take = len;
    }
    for (size_t i = 0; i < take; i++) {
      c->buf[c->pos + i] = in[i];
    }
    c->pos += (uint32_t)take;
    in += take;
    len -= take;
    if (c->pos < SENTRY_SHA3_256_RATE) {
      return;
    }
    sentry_sha3_absorb(c->s, c->buf);
    c->pos = 0;
  }
  while (len >= SENTRY_SHA3_256_RATE) {
    sentry_sha3_absorb(c->s, in);
    in += SENTRY_SHA3_256_RATE;
    len -= SENTRY_SHA3_256_RATE;
  }
  for (size_t i = 0; i < len; i++) {
    c->buf[i] = in[i];
  }
  c->pos = (uint32_t)len;
}

// Pads the pending bytes with the SHA-3 domain bits 01 and pad10*1 (0x06 ... 0x80; one byte 0x86
// when a single byte of room is left) and absorbs the last block.
SENTRY_HD void sentry_sha3_final(struct sentry_sha3_ctx *c, uint8_t out[SENTRY_SHA3_256_DIGEST]) {
  c->buf[c->pos] = 0x06;
  for (uint32_t i = c->pos + 1; i < SENTRY_SHA3_256_RATE; i++) {
    c->buf[i] = 0;
  }
  c->buf[SENTRY_SHA3_256_RATE - 1] |= 0x80;
  sentry_sha3_absorb(c->s, c->buf);
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
