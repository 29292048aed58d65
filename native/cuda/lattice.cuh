// LtHash16 over file chunks, as org.sentryml.core.tree.LatticeElements and LtHash16 define it: chunk
// i of a resource (bytes [i leaf, min((i + 1) leaf, len)) at stream offset base + i leaf) expands to
// BLAKE2Xb-2048(le64(offset) ‖ le64(len(chunk)) ‖ chunk), read as 1024 little-endian uint16 lanes,
// and the checksum is the lane-wise sum mod 2^16 of all expansions (an empty resource: all zeros).
#ifndef SENTRY_CUDA_LATTICE_CUH
#define SENTRY_CUDA_LATTICE_CUH

#include "blake2xb.cuh"

// Non-inline host/device functions too large to force inline (as in merkle.cuh).
#ifndef SENTRY_HD_FN
#ifdef __CUDACC__
#define SENTRY_HD_FN __host__ __device__
#else
#define SENTRY_HD_FN static
#endif
#endif

#define SENTRY_LATTICE_LANES 1024
#define SENTRY_LATTICE_BYTES 2048

SENTRY_HD void sentry_le64(uint64_t v, uint8_t out[8]) {
  for (int i = 0; i < 8; i++) {
    out[i] = (uint8_t)(v >> (8 * i));
  }
}

// The 2048-byte expansion of the chunk at stream offset `offset`.
SENTRY_HD void sentry_lattice_expand(uint64_t offset, const uint8_t *chunk, uint64_t len,
                                     uint8_t out[SENTRY_LATTICE_BYTES]) {
  uint8_t prefix[16];
  sentry_le64(offset, prefix);
  sentry_le64(len, prefix + 8);
  struct sentry_blake2xb_ctx c;
  sentry_blake2xb_init(&c, SENTRY_LATTICE_BYTES);
  sentry_blake2xb_update(&c, prefix, sizeof prefix);
  sentry_blake2xb_update(&c, chunk, (size_t)len);
  sentry_blake2xb_final(&c, out);
}

// Adds an expansion (or another checksum) into lanes, mod 2^16 per lane.
SENTRY_HD void sentry_lattice_add(uint16_t lanes[SENTRY_LATTICE_LANES],
                                  const uint8_t expansion[SENTRY_LATTICE_BYTES]) {
  for (int i = 0; i < SENTRY_LATTICE_LANES; i++) {
    lanes[i] = (uint16_t)(lanes[i] + (expansion[2 * i] | expansion[2 * i + 1] << 8));
  }
}

// Checksum of data[0, len) cut into leaf_size chunks, offsets counted from base, on one thread:
// the reference the kernels' parallel reduction is checked against. Writes 2048 bytes.
SENTRY_HD_FN inline void sentry_lattice_checksum(const uint8_t *data, uint64_t len,
                                                 uint64_t leaf_size, uint64_t base,
                                                 uint8_t out[SENTRY_LATTICE_BYTES]) {
  uint16_t lanes[SENTRY_LATTICE_LANES];
  uint8_t expansion[SENTRY_LATTICE_BYTES];
  for (int i = 0; i < SENTRY_LATTICE_LANES; i++) {
    lanes[i] = 0;
  }
  for (uint64_t start = 0; start < len; start += leaf_size) {
    uint64_t n = len - start < leaf_size ? len - start : leaf_size;
    sentry_lattice_expand(base + start, data + start, n, expansion);
    sentry_lattice_add(lanes, expansion);
  }
  for (int i = 0; i < SENTRY_LATTICE_LANES; i++) {
    out[2 * i] = (uint8_t)lanes[i];
    out[2 * i + 1] = (uint8_t)(lanes[i] >> 8);
  }
}

#endif
