// Host test program for the BLAKE2b, BLAKE2Xb, SHA3-256, any-algorithm Merkle and lattice cores
// (blake2b.cuh, blake2xb.cuh, sha3.cuh, merkle_alg.cuh, lattice.cuh), built with nvcc and run
// without a GPU. The Java test drives it and compares with the Java engine.
//
//   host_hashes kat                         published known answers; exit 1 on a mismatch
//   host_hashes hash ALG OUTLEN HEX [KEY]   "<hex digest>" of the bytes HEX ("-" for none); OUTLEN
//                                           is the BLAKE2b digest length or BLAKE2Xb output length;
//                                           KEY (hex) keys BLAKE2b/BLAKE2Xb
//   host_hashes merkle ALG LEAF FILE...     "<hex root> <FILE>" per file
//   host_hashes lattice LEAF FILE...        "<hex 2048-byte checksum> <FILE>" per file
//   host_hashes batch ALG LEAF FILE...      "<hex root> <FILE>" per file, all files hashed as one
//                                           batch (merkle_batch.cuh: one staging buffer + table)
// ALG is sha256, blake2b, sha3-256 or blake2xb. Exit status: 0 ok, 1 mismatch, 2 usage or I/O.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lattice.cuh"
#include "merkle_alg.cuh"
#include "merkle_batch.cuh"

static void print_hex(const uint8_t *p, size_t n, const char *suffix) {
  for (size_t i = 0; i < n; i++) {
    printf("%02x", p[i]);
  }
  printf("%s%s\n", suffix[0] ? " " : "", suffix);
}

static int parse_alg(const char *name) {
  const char *names[] = {"sha256", "blake2b", "sha3-256", "blake2xb"};
  for (int i = 0; i < 4; i++) {
    if (strcmp(name, names[i]) == 0) {
      return i;
    }
  }
  return -1;
}

static int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Decodes lowercase hex into a malloc'd buffer; "-" is the empty message. Null on bad input.
static uint8_t *from_hex(const char *hex, size_t *len) {
  size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex);
  uint8_t *out = (uint8_t *)malloc(n / 2 + 1);
  if (out == NULL || n % 2 != 0) {
    free(out);
    return NULL;
  }
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(out);
      return NULL;
    }
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  *len = n / 2;
  return out;
}

// Reads a whole file into a malloc'd buffer (at least one byte allocated); null on error.
static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 20, n = 0;
  uint8_t *data = (uint8_t *)malloc(cap);
  while (data != NULL) {
    if (n == cap) {
      uint8_t *bigger = (uint8_t *)realloc(data, cap *= 2);
      if (bigger == NULL) {
        free(data);
        data = NULL;
        break;
      }
      data = bigger;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      break;
    }
  }
  if (data != NULL && ferror(f)) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (data == NULL) {
    fprintf(stderr, "cannot read %s\n", path);
  }
  *len = n;
  return data;
}

static int check_hex(const char *name, const uint8_t *d, size_t n, const char *want) {
  char got[2 * 256 + 1];
  for (size_t i = 0; i < n; i++) {
    snprintf(got + 2 * i, 3, "%02x", d[i]);
  }
  int ok = strcmp(got, want) == 0;
  printf("%s %s %s\n", ok ? "ok  " : "FAIL", name, got);
  return ok;
}

// RFC 7693 Appendix A (BLAKE2b-512 "abc"); FIPS 202 / NIST CSRC examples for SHA3-256 ("" ,"abc",
// the 448-bit message). The BLAKE2Xb vectors come from the Java test, which reads the KAT file.
static int run_kat(void) {
  uint8_t d[64];
  int ok = 1;
  sentry_blake2b((const uint8_t *)"abc", 3, 64, d);
  ok &= check_hex("blake2b-512(\"abc\")", d, 64,
                  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  sentry_sha3_256((const uint8_t *)"", 0, d);
  ok &= check_hex("sha3-256(\"\")", d, 32,
                  "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  sentry_sha3_256((const uint8_t *)"abc", 3, d);
  ok &= check_hex("sha3-256(\"abc\")", d, 32,
                  "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sentry_sha3_256((const uint8_t *)m448, strlen(m448), d);
  ok &= check_hex("sha3-256(448-bit message)", d, 32,
                  "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376");
  printf("%s\n", ok ? "KAT PASSED" : "KAT FAILED");
  return ok;
}

static int run_hash(int alg, const char *outlen_arg, const char *hex, const char *key_hex) {
  long outlen = strtol(outlen_arg, NULL, 10);
  size_t len, key_len = 0;
  uint8_t *in = from_hex(hex, &len);
  uint8_t *key = from_hex(key_hex, &key_len);
  int max = alg == SENTRY_BLAKE2XB ? 4096 : alg == SENTRY_BLAKE2B ? 64 : 32;
  int keyable = alg == SENTRY_BLAKE2B || alg == SENTRY_BLAKE2XB;
  if (in == NULL || key == NULL || outlen < 1 || outlen > max || key_len > 64 ||
      (key_len > 0 && !keyable)) {
    free(in);
    free(key);
    fprintf(stderr, "bad hash arguments\n");
    return 2;
  }
  uint8_t out[4096];
  if (alg == SENTRY_BLAKE2B) {
    struct sentry_blake2b_params p;
    struct sentry_blake2b_ctx c;
    sentry_blake2b_default_params(&p, (uint8_t)outlen, (uint8_t)key_len);
    sentry_blake2b_init_params(&c, &p, key);
    sentry_blake2b_update(&c, in, len);
    sentry_blake2b_final(&c, out);
  } else if (alg == SENTRY_BLAKE2XB) {
    struct sentry_blake2xb_ctx c;
    sentry_blake2xb_init_key(&c, (uint32_t)outlen, key, (uint8_t)key_len);
    sentry_blake2xb_update(&c, in, len);
    sentry_blake2xb_final(&c, out);
  } else {
    sentry_hash_parts(alg, -1, in, len, nullptr, 0, out);
  }
  free(in);
  free(key);
  print_hex(out, (size_t)outlen, "");
  return 0;
}

// alg < 0: lattice checksum; else Merkle root.
static int run_files(int alg, const char *leaf_arg, char **files, int count) {
  unsigned long long leaf = strtoull(leaf_arg, NULL, 10);
  if (leaf == 0) {
    fprintf(stderr, "bad leaf size: %s\n", leaf_arg);
    return 2;
  }
  int status = 0;
  for (int f = 0; f < count; f++) {
    size_t len;
    uint8_t *data = read_all(files[f], &len);
    if (data == NULL) {
      status = 2;
      continue;
    }
    uint8_t out[SENTRY_LATTICE_BYTES];
    if (alg < 0) {
      sentry_lattice_checksum(data, len, leaf, 0, out);
      print_hex(out, SENTRY_LATTICE_BYTES, files[f]);
    } else {
      uint64_t leaves = sentry_merkle_leaf_count(len, leaf);
      uint8_t *scratch = (uint8_t *)malloc(leaves * SENTRY_MAX_DIGEST + 1);
      if (scratch == NULL) {
        free(data);
        return 2;
      }
      sentry_merkle_alg_root(alg, data, len, leaf, scratch, out);
      free(scratch);
      print_hex(out, (size_t)sentry_alg_digest_length(alg), files[f]);
    }
    free(data);
  }
  return status;
}

// The files back to back in one buffer with a row each, hashed the way the batch kernels do: every
// leaf of the batch first, then each row's reduction.
static int run_batch(int alg, const char *leaf_arg, char **files, int count) {
  unsigned long long leaf = strtoull(leaf_arg, NULL, 10);
  if (leaf == 0) {
    fprintf(stderr, "bad leaf size: %s\n", leaf_arg);
    return 2;
  }
  sentry_batch_row *rows = (sentry_batch_row *)calloc((size_t)count, sizeof *rows);
  uint8_t *data = (uint8_t *)malloc(1);
  uint64_t used = 0, leaves = 0;
  int status = rows == NULL || data == NULL ? 2 : 0;
  for (int f = 0; f < count && status == 0; f++) {
    size_t len;
    uint8_t *bytes = read_all(files[f], &len);
    uint8_t *grown = bytes == NULL ? NULL : (uint8_t *)realloc(data, used + len + 1);
    if (grown == NULL) {
      free(bytes);
      status = 2;
      break;
    }
    data = grown;
    memcpy(data + used, bytes, len);
    free(bytes);
    rows[f].offset = used;
    rows[f].length = len;
    rows[f].first_leaf = leaves;
    used += len;
    leaves += sentry_merkle_leaf_count(len, leaf);
  }
  int d = sentry_alg_digest_length(alg);
  uint8_t *digests = status == 0 ? (uint8_t *)malloc(leaves * d + 1) : NULL;
  uint8_t *roots = status == 0 ? (uint8_t *)malloc((size_t)count * d + 1) : NULL;
  if (status == 0 && (digests == NULL || roots == NULL)) {
    status = 2;
  }
  if (status == 0) {
    for (uint64_t g = 0; g < leaves; g++) {
      sentry_batch_leaf_at(alg, data, rows, (uint64_t)count, leaf, g, digests);
    }
    for (int r = 0; r < count; r++) {
      sentry_batch_root_at(alg, rows, leaf, (uint64_t)r, digests, roots);
      print_hex(roots + (size_t)r * d, (size_t)d, files[r]);
    }
  }
  free(rows);
  free(data);
  free(digests);
  free(roots);
  return status;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "kat") == 0) {
    return run_kat() ? 0 : 1;
  }
  if ((argc == 5 || argc == 6) && strcmp(argv[1], "hash") == 0 && parse_alg(argv[2]) >= 0) {
    return run_hash(parse_alg(argv[2]), argv[3], argv[4], argc == 6 ? argv[5] : "-");
  }
  if (argc >= 5 && strcmp(argv[1], "merkle") == 0 && parse_alg(argv[2]) >= 0) {
    return run_files(parse_alg(argv[2]), argv[3], argv + 4, argc - 4);
  }
  if (argc >= 5 && strcmp(argv[1], "batch") == 0 && parse_alg(argv[2]) >= 0) {
    return run_batch(parse_alg(argv[2]), argv[3], argv + 4, argc - 4);
  }
  if (argc >= 4 && strcmp(argv[1], "lattice") == 0) {
    return run_files(-1, argv[2], argv + 3, argc - 3);
  }
  fprintf(stderr, "usage: host_hashes kat | hash ALG OUTLEN HEX | merkle ALG LEAF FILE... | "
                  "lattice LEAF FILE... | batch ALG LEAF FILE...\n");
  return 2;
}
