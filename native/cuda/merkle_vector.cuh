// SHA-256 Merkle leaves read with 128-bit loads, written once for host and device.
//
// sentry_merkle_leaf_at (merkle.cuh) feeds 0x00 ‖ chunk through sentry_sha256_update, which copies
// the first 63 chunk bytes into the context's buffer and reads every later block byte by byte from
// chunk + 63 + 64 k: 64 one-byte loads per block, and a context in local memory because its buffer
// is indexed at run time. Here the chunk must start at a 16-byte-aligned address; each 64-byte group
// of it is four 16-byte loads, and the one-byte shift the prefix puts between chunk and message
// words is one byte permutation per word: message word i of block k is the top byte of chunk word
// 16 k + i - 1 followed by the low three bytes of chunk word 16 k + i (word -1 being the prefix).
// Everything lives in registers. Only the last, partial group is read byte by byte, so nothing past
// chunk + len is touched: a buffer handed to the engine may end exactly there.
#ifndef SENTRY_CUDA_MERKLE_VECTOR_CUH
#define SENTRY_CUDA_MERKLE_VECTOR_CUH

#include "merkle.cuh"

// The 16 bytes at p, which must be 16-byte aligned, as four little-endian words: one
// ld.global.nc.v4.u32 on the device (the data is read-only for the kernel's lifetime).
SENTRY_HD void sentry_load_le128(const uint8_t *p, uint32_t x[4]) {
#ifdef __CUDA_ARCH__
  uint4 v = __ldg(reinterpret_cast<const uint4 *>(p));
  x[0] = v.x;
  x[1] = v.y;
  x[2] = v.z;
  x[3] = v.w;
#else
  for (int i = 0; i < 4; i++) {
    x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
           (uint32_t)p[4 * i + 3] << 24;
  }
#endif
}

// The big-endian word of the bytes (top byte of prev, bytes 0, 1, 2 of cur), prev and cur being
// little-endian loads of consecutive memory words.
SENTRY_HD uint32_t sentry_shifted_word(uint32_t prev, uint32_t cur) {
#ifdef __CUDA_ARCH__
  return __byte_perm(prev, cur, 0x3456);
#else
  return (prev & 0xff000000u) | (cur & 0xffu) << 16 | (cur & 0xff00u) | (cur >> 16 & 0xffu);
#endif
}

// SHA-256(0x00 ‖ chunk[0, len)) for a chunk at a 16-byte-aligned address: the leaf hash of
// merkle.cuh, bit for bit.
SENTRY_HD void sentry_merkle_leaf_hash_aligned(const uint8_t *chunk, uint64_t len,
                                               uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint32_t h[8];
  sentry_sha256_iv(h);
  // The chunk word before the current group; its top byte opens the next message block. The
  // prefix 0x00 plays that part for the first block.
  uint32_t carry = 0;
  const uint8_t *tail = chunk + (len - len % SENTRY_SHA256_BLOCK);
  for (const uint8_t *group = chunk; group != tail; group += SENTRY_SHA256_BLOCK) {
    uint32_t x[16];
    SENTRY_UNROLL
    for (int q = 0; q < 4; q++) {
      sentry_load_le128(group + 16 * q, x + 4 * q);
    }
    uint32_t w[16];
    w[0] = sentry_shifted_word(carry, x[0]);
    SENTRY_UNROLL
    for (int i = 1; i < 16; i++) {
      w[i] = sentry_shifted_word(x[i - 1], x[i]);
    }
    carry = x[15];
    sentry_sha256_compress(h, w);
  }
  // The rest of the message: the carried byte, the r < 64 chunk bytes after the last whole group,
  // 0x80, zeros, and the message length in bits (len + 1 bytes with the prefix) in the last 8
  // bytes; one block if that fits (r <= 54), else two.
  uint32_t r = (uint32_t)(len % SENTRY_SHA256_BLOCK);
  uint32_t w[16];
  SENTRY_UNROLL
  for (int i = 0; i < 16; i++) {
    uint32_t word = 0;
    SENTRY_UNROLL
    for (int b = 0; b < 4; b++) {
      uint32_t p = 4 * i + b;
      uint32_t byte = p == 0 ? carry >> 24 : p <= r ? tail[p - 1] : p == r + 1 ? 0x80u : 0u;
      word = word << 8 | byte;
    }
    w[i] = word;
  }
  uint64_t bits = (len + 1) * 8;
  if (r > 54) {
    sentry_sha256_compress(h, w);
    SENTRY_UNROLL
    for (int i = 0; i < 14; i++) {
      w[i] = 0;
    }
    // r = 63 fills the block with message bytes, so the 0x80 opens the next one.
    w[0] = r == 63 ? 0x80000000u : 0u;
  }
  w[14] = (uint32_t)(bits >> 32);
  w[15] = (uint32_t)bits;
  sentry_sha256_compress(h, w);
  SENTRY_UNROLL
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8);
    out[4 * i + 3] = (uint8_t)h[i];
  }
}

// Leaf i of a len-byte stream held in data, as sentry_merkle_leaf_at: data and leaf_size must be
// multiples of 16 so that every chunk is aligned.
SENTRY_HD void sentry_merkle_leaf_at_aligned(const uint8_t *data, uint64_t len, uint64_t leaf_size,
                                             uint64_t i, uint8_t out[SENTRY_SHA256_DIGEST]) {
  uint64_t start = i * leaf_size;
  uint64_t end = start + leaf_size < len ? start + leaf_size : len;
  sentry_merkle_leaf_hash_aligned(data + start, end - start, out);
}

#endif
