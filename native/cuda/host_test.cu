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
//   host_test -                    reads "root LEAF FILE" lines from stdin and answers each as
//                                  above (one line per command), "kat" lines run the known answers.
// Exit status: 0 success, 1 mismatch, 2 usage or I/O error.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle.cuh"

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
  free(a);
  printf("%s\n", ok ? "KAT PASSED" : "KAT FAILED");
  return ok;
}

// Returns 0 on success, 1 on a mismatch between the two root computations, 2 on an I/O error.
static int print_root(const char *leaf_arg, const char *path) {
  char *end = NULL;
  errno = 0;
  unsigned long long leaf = strtoull(leaf_arg, &end, 10);
  if (errno != 0 || end == leaf_arg || *end != '\0' || leaf == 0) {
    fprintf(stderr, "bad leaf size: %s\n", leaf_arg);
    return 2;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return 2;
  }
  size_t cap = 1 << 20, len = 0;
  uint8_t *data = (uint8_t *)malloc(cap);
  while (data != NULL) {
    if (len == cap) {
      cap *= 2;
      uint8_t *bigger = (uint8_t *)realloc(data, cap);
      if (bigger == NULL) {
        free(data);
        data = NULL;
        break;
      }
      data = bigger;
    }
    size_t got = fread(data + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      break;
    }
  }
  int read_error = data == NULL || ferror(f);
  fclose(f);
  if (read_error) {
    fprintf(stderr, "cannot read %s\n", path);
    free(data);
    return 2;
  }
  uint64_t leaves = sentry_merkle_leaf_count(len, leaf);
  uint8_t *scratch = (uint8_t *)malloc(leaves > 0 ? leaves * SENTRY_SHA256_DIGEST : 1);
  if (scratch == NULL) {
    fprintf(stderr, "out of memory\n");
    free(data);
    return 2;
  }
  uint8_t r1[SENTRY_SHA256_DIGEST], r2[SENTRY_SHA256_DIGEST];
  sentry_merkle_root(data, len, leaf, r1);
  sentry_merkle_root_levels(data, len, leaf, scratch, r2);
  free(scratch);
  free(data);
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

static int usage(void) {
  fprintf(stderr, "usage: host_test kat | host_test root LEAF FILE... | host_test -\n");
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
