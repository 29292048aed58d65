// Many small files hashed by one launch: their bytes lie back to back in one staging buffer, and a
// table says where each file starts, how long it is, and where its leaf digests go. One leaf per
// thread across the whole batch, then one thread per file reduces that file's leaves to its root.
// Per-file trees are the same RFC 6962 trees as merkle_alg.cuh builds one file at a time.
#ifndef SENTRY_CUDA_MERKLE_BATCH_CUH
#define SENTRY_CUDA_MERKLE_BATCH_CUH

#include "merkle_alg.cuh"

// One table row, three little-endian uint64 words (the Java engine writes them into a pinned
// buffer): the file's bytes are data[offset, offset + length), its leaf digests are digest slots
// [first_leaf, first_leaf + leaf_count) of the batch. Rows are in ascending first_leaf order; an
// empty file has no leaves and shares first_leaf with the row after it.
typedef struct {
  uint64_t offset;
  uint64_t length;
  uint64_t first_leaf;
} sentry_batch_row;

// The row that owns batch leaf g: the last row whose first_leaf <= g (empty rows before a non-empty
// one with the same first_leaf are skipped, as they own no leaf).
SENTRY_HD uint64_t sentry_batch_row_of(const sentry_batch_row *rows, uint64_t count, uint64_t g) {
  uint64_t lo = 0, hi = count;  // answer in [lo, hi)
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (rows[mid].first_leaf <= g) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// Leaf digest g of the batch (d bytes at digests + g d).
SENTRY_HD void sentry_batch_leaf_at(int alg, const uint8_t *data, const sentry_batch_row *rows,
                                    uint64_t count, uint64_t leaf_size, uint64_t g,
                                    uint8_t *digests) {
  const sentry_batch_row *row = rows + sentry_batch_row_of(rows, count, g);
  int d = sentry_alg_digest_length(alg);
  sentry_merkle_alg_leaf_at(alg, data + row->offset, row->length, leaf_size, g - row->first_leaf,
                            digests + g * d);
}

// Root of row r, written to roots + r d, reducing the row's leaf digests in place.
SENTRY_HD void sentry_batch_root_at(int alg, const sentry_batch_row *rows, uint64_t leaf_size,
                                    uint64_t r, uint8_t *digests, uint8_t *roots) {
  int d = sentry_alg_digest_length(alg);
  uint64_t m = sentry_merkle_leaf_count(rows[r].length, leaf_size);
  uint8_t *out = roots + r * d;
  if (m == 0) {
    sentry_hash_parts(alg, -1, nullptr, 0, nullptr, 0, out);
    return;
  }
  sentry_merkle_alg_reduce(alg, digests + rows[r].first_leaf * d, m, out);
}

#endif
