// Host test program for the shared hash core (sha256.cuh, merkle.cuh), built with nvcc and run
// without a GPU.
//
//   host_test kat                  known answers: SHA-256 (FIPS 180-2 / NIST example vectors) and
//                                  agreement of the RFC 6962 recursion with the level-by-level
//                                  reduction the kernels perform; prints each result, exits 1 on
//                                  any mismatch.
//   host_test root LEAF FILE...    prints, per FILE, "<hex root> <FILE>": the SHA-256 Merkle root
//                                  of the file's bytes with LEAF-byte leaves, computed both ways
//                                  (exits 1 if the two disagree).
//   host_test root-at OFFSET LEAF FILE...
//                                  prints, per FILE, "<hex root> <aligned|bytes> <FILE>": the root
//                                  with the file's bytes placed OFFSET bytes past a 64-byte
//                                  boundary and each leaf hashed as the engine picks its kernel:
//                                  the 128-bit-load core (merkle_vector.cuh) when the address and
//                                  LEAF are multiples of 16, else the byte-wise core.
//   host_test -                    reads "root LEAF FILE" lines from stdin and answers each as
//                                  above (one line per command), "kat" lines run the known answers.
// Exit status: 0 success, 1 mismatch, 2 usage or I/O error.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "merkle_alg.cuh"
#include "merkle_vector.cuh"

static void to_hex(const uint8_t *digest, char out[2 * SENTRY_SHA256_DIGEST + 1]) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < SENTRY_SHA256_DIGEST; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[2 * SENTRY_SHA256_DIGEST] = '\0';
}

static int check(const char *name, const uint8_t *digest, const char *expected_hex) {
  char hex[2 * SENTRY_SHA256_DIGEST + 1];
  to_hex(digest, hex);
  int ok = strcmp(hex, expected_hex) == 0;
  printf("%s %s %s\n", ok ? "ok  " : "FAIL", name, hex);
  if (!ok) {
    printf("     expected %s\n", expected_hex);
  }
  return ok;
}

// The 128-bit-load leaf core against the byte-wise one for every chunk length 0..320 (all 64
// residues of the tail, one to five whole blocks) at a 16-byte-aligned address; a holds 1e6 bytes.
static int aligned_leaves_match(const uint8_t *a) {
  uint8_t *chunk = (uint8_t *)aligned_alloc(64, 384);
  if (chunk == NULL) {
    return 0;
  }
  memcpy(chunk, a + 12345, 384);
  int ok = 1;
  for (uint64_t len = 0; len <= 320; len++) {
    uint8_t want[SENTRY_SHA256_DIGEST], got[SENTRY_SHA256_DIGEST];
    sentry_merkle_leaf_hash(chunk, (size_t)len, want);
    sentry_merkle_leaf_hash_aligned(chunk, len, got);
    if (memcmp(want, got, SENTRY_SHA256_DIGEST) != 0) {
      printf("FAIL aligned leaf of %llu bytes differs from the byte-wise leaf\n", (unsigned long long)len);
      ok = 0;
    }
  }
  free(chunk);
  if (ok) {
    printf("ok   aligned leaf == byte-wise leaf for 0..320 bytes\n");
  }
  return ok;
}

// Chunks that end exactly where a PROT_NONE page begins: a read past chunk + len would crash this
// program. Lengths are multiples of 16 so that the start stays 16-byte aligned.
static int aligned_leaves_stay_in_bounds(const uint8_t *a) {
  long page = sysconf(_SC_PAGESIZE);
  size_t span = 3 * (size_t)page;
  uint8_t *map = (uint8_t *)mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED || mprotect(map + 2 * page, (size_t)page, PROT_NONE) != 0) {
    printf("FAIL cannot map a guard page: %s\n", strerror(errno));
    return 0;
  }
  uint8_t *guard = map + 2 * page;
  int ok = 1;
  for (uint64_t len = 0; len <= 2 * (uint64_t)page && ok; len += 16) {
    uint8_t *chunk = guard - len;
    memcpy(chunk, a, (size_t)len);
    uint8_t want[SENTRY_SHA256_DIGEST], got[SENTRY_SHA256_DIGEST];
    sentry_merkle_leaf_hash(chunk, (size_t)len, want);
    sentry_merkle_leaf_hash_aligned(chunk, len, got);
    ok = memcmp(want, got, SENTRY_SHA256_DIGEST) == 0;
  }
  munmap(map, span);
  printf("%s aligned leaf reads nothing past its end (chunks up to two pages before a guard page)\n",
         ok ? "ok  " : "FAIL");
  return ok;
}

// Vectors: FIPS 180-2 Appendix B.1 ("abc"), B.2 (448-bit message), B.3 (one million 'a'), and the
// well-known digest of the empty string.
static int run_kat(void) {
  int ok = 1;
  uint8_t d[SENTRY_SHA256_DIGEST];
  const char *empty_hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const char *abc_hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const char *m448_hex = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  const char *million_hex = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

  sentry_sha256((const uint8_t *)"", 0, d);
  ok &= check("sha256(\"\")", d, empty_hex);
  sentry_sha256((const uint8_t *)"abc", 3, d);
  ok &= check("sha256(\"abc\")", d, abc_hex);
  sentry_sha256((const uint8_t *)m448, strlen(m448), d);
  ok &= check("sha256(448-bit message)", d, m448_hex);

  size_t million = 1000000;
  uint8_t *a = (uint8_t *)malloc(million);
  if (a == NULL) {
    fprintf(stderr, "out of memory\n");
    return 0;
  }
  memset(a, 'a', million);
  sentry_sha256(a, million, d);
  ok &= check("sha256(1,000,000 x 'a')", d, million_hex);
  // The same message through update() in uneven pieces, to exercise the partial-block paths.
  const size_t pieces[] = {1, 63, 64, 65, 127, 3, 1000, 55, 56, 57};
  char name[96];
  for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
    sentry_sha256_ctx ctx;
    sentry_sha256_init(&ctx);
    size_t done = 0;
    while (done < million) {
      size_t step = pieces[p] < million - done ? pieces[p] : million - done;
      sentry_sha256_update(&ctx, a + done, step);
      done += step;
    }
    sentry_sha256_final(&ctx, d);
    snprintf(name, sizeof name, "sha256(1,000,000 x 'a') in %zu-byte updates", pieces[p]);
    ok &= check(name, d, million_hex);
  }

  // Merkle: an empty stream is SHA-256(""); one leaf is SHA-256(0x00 ‖ data); the RFC 6962
  // recursion equals the level-by-level reduction for every leaf count from 1 to 300 (4-byte
  // leaves over a fixed pattern, last leaf short or whole).
  sentry_merkle_root(a, 0, 4096, d);
  ok &= check("merkle(empty)", d, empty_hex);
  uint8_t prefixed[4] = {0x00, 'a', 'b', 'c'};
  uint8_t want[SENTRY_SHA256_DIGEST];
  char want_hex[2 * SENTRY_SHA256_DIGEST + 1];
  sentry_sha256(prefixed, 4, want);
  to_hex(want, want_hex);
  sentry_merkle_root((const uint8_t *)"abc", 3, 4096, d);
  ok &= check("merkle(\"abc\", one leaf)", d, want_hex);
  for (size_t i = 0; i < million; i++) {
    a[i] = (uint8_t)(i * 131u + (i >> 8));
  }
  uint8_t *scratch = (uint8_t *)malloc(300 * SENTRY_SHA256_DIGEST);
  int shape_ok = scratch != NULL;
  for (uint64_t n = 1; shape_ok && n <= 300; n++) {
    for (uint64_t tail = 0; tail < 2; tail++) {
      uint64_t len = n * 4 - tail * 3;
      uint8_t r1[SENTRY_SHA256_DIGEST], r2[SENTRY_SHA256_DIGEST];
      sentry_merkle_root(a, len, 4, r1);
      sentry_merkle_root_levels(a, len, 4, scratch, r2);
      if (memcmp(r1, r2, SENTRY_SHA256_DIGEST) != 0) {
        printf("FAIL merkle shape: recursion and level reduction differ at %llu leaves\n",
               (unsigned long long)n);
        shape_ok = 0;
      }
    }
  }
  if (shape_ok) {
    printf("ok   merkle shape: recursion == level reduction for 1..300 leaves\n");
  }
  ok &= shape_ok;
  free(scratch);
  ok &= aligned_leaves_match(a);
  ok &= aligned_leaves_stay_in_bounds(a);
  free(a);
  printf("%s\n", ok ? "KAT PASSED" : "KAT FAILED");
  return ok;
}

// A positive decimal number, or 0 with a message when arg is not one.
static unsigned long long parse_count(const char *what, const char *arg, int zero_ok) {
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (errno != 0 || end == arg || *end != '\0' || (v == 0 && !zero_ok)) {
    fprintf(stderr, "bad %s: %s\n", what, arg);
    return 0;
  }
  return v;
}

// The file's bytes at offset `at` of a 64-byte-aligned buffer (*base, to be freed); null on error.
static uint8_t *read_at(const char *path, size_t at, size_t *len, uint8_t **base) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 20, n = 0;
  uint8_t *data = (uint8_t *)aligned_alloc(64, cap + 64);
  while (data != NULL) {
    if (n == cap) {
      uint8_t *bigger = (uint8_t *)aligned_alloc(64, 2 * cap + 64);
      if (bigger != NULL) {
        memcpy(bigger + at, data + at, n);
      }
      free(data);
      data = bigger;
      cap *= 2;
      continue;
    }
    size_t got = fread(data + at + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      break;
    }
  }
  int read_error = data == NULL || ferror(f);
  fclose(f);
  if (read_error) {
    fprintf(stderr, "cannot read %s\n", path);
    free(data);
    return NULL;
  }
  *len = n;
  *base = data;
  return data + at;
}

// Returns 0 on success, 1 on a mismatch between the two root computations, 2 on an I/O error.
static int print_root(const char *leaf_arg, const char *path) {
  unsigned long long leaf = parse_count("leaf size", leaf_arg, 0);
  size_t len;
  uint8_t *base;
  uint8_t *data = leaf == 0 ? NULL : read_at(path, 0, &len, &base);
  if (data == NULL) {
    return 2;
  }
  uint64_t leaves = sentry_merkle_leaf_count(len, leaf);
  uint8_t *scratch = (uint8_t *)malloc(leaves > 0 ? leaves * SENTRY_SHA256_DIGEST : 1);
  if (scratch == NULL) {
    fprintf(stderr, "out of memory\n");
    free(base);
    return 2;
  }
  uint8_t r1[SENTRY_SHA256_DIGEST], r2[SENTRY_SHA256_DIGEST];
  sentry_merkle_root(data, len, leaf, r1);
  sentry_merkle_root_levels(data, len, leaf, scratch, r2);
  free(scratch);
  free(base);
  char hex[2 * SENTRY_SHA256_DIGEST + 1];
  to_hex(r1, hex);
  if (memcmp(r1, r2, SENTRY_SHA256_DIGEST) != 0) {
    char hex2[2 * SENTRY_SHA256_DIGEST + 1];
    to_hex(r2, hex2);
    fprintf(stderr, "root mismatch for %s: recursion %s, level reduction %s\n", path, hex, hex2);
    return 1;
  }
  printf("%s %s\n", hex, path);
  fflush(stdout);
  return 0;
}

// The root as the device computes it, leaf kernel chosen by alignment (see the usage above).
static int print_root_at(const char *offset_arg, const char *leaf_arg, const char *path) {
  unsigned long long offset = parse_count("offset", offset_arg, 1);
  unsigned long long leaf = parse_count("leaf size", leaf_arg, 0);
  size_t len;
  uint8_t *base;
  if (offset >= 64) {
    fprintf(stderr, "offset must be below 64: %s\n", offset_arg);
    return 2;
  }
  uint8_t *data = leaf == 0 ? NULL : read_at(path, (size_t)offset, &len, &base);
  if (data == NULL) {
    return 2;
  }
  int aligned = ((uintptr_t)data | (uintptr_t)leaf) % 16 == 0;
  uint64_t leaves = sentry_merkle_leaf_count(len, leaf);
  uint8_t *digests = (uint8_t *)malloc(leaves > 0 ? leaves * SENTRY_SHA256_DIGEST : 1);
  if (digests == NULL) {
    fprintf(stderr, "out of memory\n");
    free(base);
    return 2;
  }
  uint8_t root[SENTRY_SHA256_DIGEST];
  if (leaves == 0) {
    sentry_sha256(data, 0, root);
  } else {
    for (uint64_t i = 0; i < leaves; i++) {
      uint8_t *out = digests + i * SENTRY_SHA256_DIGEST;
      if (aligned) {
        sentry_merkle_leaf_at_aligned(data, len, leaf, i, out);
      } else {
        sentry_merkle_leaf_at(data, len, leaf, i, out);
      }
    }
    sentry_merkle_alg_reduce(SENTRY_SHA256, digests, leaves, root);
  }
  free(digests);
  free(base);
  char hex[2 * SENTRY_SHA256_DIGEST + 1];
  to_hex(root, hex);
  printf("%s %s %s\n", hex, aligned ? "aligned" : "bytes", path);
  fflush(stdout);
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: host_test kat | host_test root LEAF FILE... | host_test root-at OFFSET LEAF FILE... | "
          "host_test -\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    return usage();
  }
  if (strcmp(argv[1], "kat") == 0 && argc == 2) {
    return run_kat() ? 0 : 1;
  }
  if (strcmp(argv[1], "root") == 0 && argc >= 4) {
    int status = 0;
    for (int i = 3; i < argc; i++) {
      int s = print_root(argv[2], argv[i]);
      status = s > status ? s : status;
    }
    return status;
  }
  if (strcmp(argv[1], "root-at") == 0 && argc >= 5) {
    int status = 0;
    for (int i = 4; i < argc; i++) {
      int s = print_root_at(argv[2], argv[3], argv[i]);
      status = s > status ? s : status;
    }
    return status;
  }
  if (strcmp(argv[1], "-") == 0 && argc == 2) {
    char line[8192];
    int status = 0;
    while (fgets(line, sizeof line, stdin) != NULL) {
      size_t n = strlen(line);
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
        line[--n] = '\0';
      }
      if (n == 0) {
        continue;
      }
      int s;
      if (strcmp(line, "kat") == 0) {
        s = run_kat() ? 0 : 1;
      } else if (strncmp(line, "root ", 5) == 0) {
        char *leaf = line + 5;
        char *space = strchr(leaf, ' ');
        if (space == NULL) {
          fprintf(stderr, "bad command: %s\n", line);
          s = 2;
        } else {
          *space = '\0';
          s = print_root(leaf, space + 1);
        }
      } else {
        fprintf(stderr, "bad command: %s\n", line);
        s = 2;
      }
      if (s != 0) {
        printf("error %d\n", s);
        fflush(stdout);
      }
      status = s > status ? s : status;
    }
    return status;
  }
  return usage();
}
