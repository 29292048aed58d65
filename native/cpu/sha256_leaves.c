/*
 * SHA-256 Merkle leaves and subtrees with the x86 SHA extensions, two messages interleaved per core.
 *
 * A single SHA-256 stream is bound by the latency of sha256rnds2; hashing two independent leaves
 * in the same loop fills the gaps, which measured about 1.4x the single-stream speed. Leaves are
 * RFC 6962 leaves: H(0x00 || chunk). The results are bit-identical to the JDK's SHA-256 (tests
 * compare them on random inputs), so Java falls back to MessageDigest when this library or the
 * CPU feature is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <immintrin.h>
#include <jni.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TARGET __attribute__((target("sha,sse4.1,ssse3")))

static const uint32_t ROUND_CONSTANTS[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* The state as the SHA extensions want it: (A,B,E,F) and (C,D,G,H) in two vectors. */
typedef struct {
  __m128i abef;
  __m128i cdgh;
} sha_state;

TARGET static sha_state initial_state(void) {
  /* FIPS 180-4 initial hash value, already arranged as ABEF / CDGH (lane 0 first). */
  sha_state s;
  s.abef = _mm_set_epi32(0x6a09e667, 0xbb67ae85, 0x510e527f, 0x9b05688c);
  s.cdgh = _mm_set_epi32(0x3c6ef372, 0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
  return s;
}

TARGET static void store_digest(sha_state s, uint8_t out[32]) {
  /* ABEF/CDGH back to A..H, then each word big-endian. */
  /* Lanes are listed from lane 0 up: abef holds (F,E,B,A), cdgh holds (H,G,D,C). */
  __m128i a_b_e_f = _mm_shuffle_epi32(s.abef, 0x1B);
  __m128i g_h_c_d = _mm_shuffle_epi32(s.cdgh, 0xB1);
  __m128i a_b_c_d = _mm_blend_epi16(a_b_e_f, g_h_c_d, 0xF0);
  __m128i e_f_g_h = _mm_alignr_epi8(g_h_c_d, a_b_e_f, 8);
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  _mm_storeu_si128((__m128i *)out, _mm_shuffle_epi8(a_b_c_d, bswap));
  _mm_storeu_si128((__m128i *)(out + 16), _mm_shuffle_epi8(e_f_g_h, bswap));
}

#define LOAD_WORDS(p) _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p)), bswap)
#define FOUR_ROUNDS(msg, i, s)                                                          \
  do {                                                                                  \
    __m128i k_ = _mm_add_epi32(msg, _mm_loadu_si128((const __m128i *)&ROUND_CONSTANTS[i])); \
    s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, k_);                                 \
    s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(k_, 0x0E));        \
  } while (0)
#define SCHEDULE(w0, w1, w2, w3)                                \
  do {                                                          \
    w0 = _mm_sha256msg1_epu32(w0, w1);                          \
    w0 = _mm_add_epi32(w0, _mm_alignr_epi8(w3, w2, 4));         \
    w0 = _mm_sha256msg2_epu32(w0, w3);                          \
  } while (0)

/* Compresses `blocks` consecutive 64-byte blocks of one stream. */
TARGET static void compress1(sha_state *state, const uint8_t *p, size_t blocks) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  sha_state s = *state;
  for (; blocks > 0; blocks--, p += 64) {
    sha_state saved = s;
    __m128i w0 = LOAD_WORDS(p), w1 = LOAD_WORDS(p + 16), w2 = LOAD_WORDS(p + 32), w3 = LOAD_WORDS(p + 48);
    for (int i = 0; i < 64; i += 16) {
      FOUR_ROUNDS(w0, i, s);
      if (i < 48) SCHEDULE(w0, w1, w2, w3);
      FOUR_ROUNDS(w1, i + 4, s);
      if (i < 48) SCHEDULE(w1, w2, w3, w0);
      FOUR_ROUNDS(w2, i + 8, s);
      if (i < 48) SCHEDULE(w2, w3, w0, w1);
      FOUR_ROUNDS(w3, i + 12, s);
      if (i < 48) SCHEDULE(w3, w0, w1, w2);
    }
    s.abef = _mm_add_epi32(s.abef, saved.abef);
    s.cdgh = _mm_add_epi32(s.cdgh, saved.cdgh);
  }
  *state = s;
}

/* Compresses `blocks` consecutive blocks of two independent streams, interleaved. */
TARGET static void compress2(sha_state *sa, sha_state *sb, const uint8_t *p, const uint8_t *q, size_t blocks) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  sha_state a = *sa, b = *sb;
  for (; blocks > 0; blocks--, p += 64, q += 64) {
    sha_state saved_a = a, saved_b = b;
    __m128i w0 = LOAD_WORDS(p), w1 = LOAD_WORDS(p + 16), w2 = LOAD_WORDS(p + 32), w3 = LOAD_WORDS(p + 48);
    __m128i v0 = LOAD_WORDS(q), v1 = LOAD_WORDS(q + 16), v2 = LOAD_WORDS(q + 32), v3 = LOAD_WORDS(q + 48);
    for (int i = 0; i < 64; i += 16) {
      FOUR_ROUNDS(w0, i, a);
      FOUR_ROUNDS(v0, i, b);
      if (i < 48) { SCHEDULE(w0, w1, w2, w3); SCHEDULE(v0, v1, v2, v3); }
      FOUR_ROUNDS(w1, i + 4, a);
      FOUR_ROUNDS(v1, i + 4, b);
      if (i < 48) { SCHEDULE(w1, w2, w3, w0); SCHEDULE(v1, v2, v3, v0); }
      FOUR_ROUNDS(w2, i + 8, a);
      FOUR_ROUNDS(v2, i + 8, b);
      if (i < 48) { SCHEDULE(w2, w3, w0, w1); SCHEDULE(v2, v3, v0, v1); }
      FOUR_ROUNDS(w3, i + 12, a);
      FOUR_ROUNDS(v3, i + 12, b);
      if (i < 48) { SCHEDULE(w3, w0, w1, w2); SCHEDULE(v3, v0, v1, v2); }
    }
    a.abef = _mm_add_epi32(a.abef, saved_a.abef);
    a.cdgh = _mm_add_epi32(a.cdgh, saved_a.cdgh);
    b.abef = _mm_add_epi32(b.abef, saved_b.abef);
    b.cdgh = _mm_add_epi32(b.cdgh, saved_b.cdgh);
  }
  *sa = a;
  *sb = b;
}

/*
 * The message of a leaf is 0x00 || chunk, so message block k (k >= 1) starts at chunk + 64k - 1:
 * full blocks after the first are read in place; the first block and the padded tail are built in
 * small buffers.
 */
typedef struct {
  uint8_t first[64];
  uint8_t tail[128];
  size_t middle_blocks; /* full blocks read in place, starting at chunk + 63 */
  size_t tail_blocks;   /* 1 or 2 */
  int has_first;
} leaf_layout;

static void layout_leaf(leaf_layout *l, const uint8_t *chunk, size_t length) {
  uint64_t message_length = (uint64_t)length + 1;
  size_t full = (size_t)(message_length / 64);
  size_t tail_start = full * 64; /* message offset of the tail */
  size_t tail_bytes = (size_t)(message_length - tail_start);
  l->has_first = full > 0;
  l->middle_blocks = full > 0 ? full - 1 : 0;
  if (l->has_first) {
    l->first[0] = 0x00;
    memcpy(l->first + 1, chunk, 63);
  }
  memset(l->tail, 0, sizeof l->tail);
  if (tail_start == 0) {
    l->tail[0] = 0x00;
    memcpy(l->tail + 1, chunk, tail_bytes - 1);
  } else {
    memcpy(l->tail, chunk + tail_start - 1, tail_bytes);
  }
  l->tail[tail_bytes] = 0x80;
  l->tail_blocks = tail_bytes + 9 > 64 ? 2 : 1;
  uint64_t bits = message_length * 8;
  uint8_t *end = l->tail + l->tail_blocks * 64;
  for (int i = 1; i <= 8; i++) {
    end[-i] = (uint8_t)(bits >> (8 * (i - 1)));
  }
}

TARGET static void leaf_one(const uint8_t *chunk, size_t length, uint8_t out[32]) {
  leaf_layout l;
  layout_leaf(&l, chunk, length);
  sha_state s = initial_state();
  if (l.has_first) {
    compress1(&s, l.first, 1);
    compress1(&s, chunk + 63, l.middle_blocks);
  }
  compress1(&s, l.tail, l.tail_blocks);
  store_digest(s, out);
}

/* Two leaves of the same length. */
TARGET static void leaf_two(const uint8_t *p, const uint8_t *q, size_t length, uint8_t out_p[32], uint8_t out_q[32]) {
  leaf_layout lp, lq;
  layout_leaf(&lp, p, length);
  layout_leaf(&lq, q, length);
  sha_state a = initial_state(), b = initial_state();
  if (lp.has_first) {
    compress2(&a, &b, lp.first, lq.first, 1);
    compress2(&a, &b, p + 63, q + 63, lp.middle_blocks);
  }
  compress2(&a, &b, lp.tail, lq.tail, lp.tail_blocks);
  store_digest(a, out_p);
  store_digest(b, out_q);
}

/* Interior node H(0x01 || left || right): 65 bytes, two blocks. */
static void layout_node(uint8_t block[128], const uint8_t *left, const uint8_t *right) {
  memset(block, 0, 128);
  block[0] = 0x01;
  memcpy(block + 1, left, 32);
  memcpy(block + 33, right, 32);
  block[65] = 0x80;
  block[126] = (uint8_t)((65 * 8) >> 8);
  block[127] = (uint8_t)(65 * 8);
}

/*
 * Reduces `count` (a power of two) consecutive digests at `level` in place, pair by pair, until
 * their perfect subtree's root is in level[0].
 */
TARGET static void reduce_perfect(uint8_t *level, size_t count) {
  uint8_t a[128], b[128];
  for (; count > 1; count /= 2) {
    size_t pair = 0;
    for (; pair + 1 < count / 2; pair += 2) {
      layout_node(a, level + 64 * pair, level + 64 * pair + 32);
      layout_node(b, level + 64 * (pair + 1), level + 64 * (pair + 1) + 32);
      sha_state sa = initial_state(), sb = initial_state();
      compress2(&sa, &sb, a, b, 2);
      store_digest(sa, level + 32 * pair);
      store_digest(sb, level + 32 * (pair + 1));
    }
    if (pair < count / 2) {
      layout_node(a, level + 64 * pair, level + 64 * pair + 32);
      sha_state sa = initial_state();
      compress1(&sa, a, 2);
      store_digest(sa, level + 32 * pair);
    }
  }
}

JNIEXPORT jboolean JNICALL Java_org_sentryml_core_hashing_NativeSha256_cpuSupported(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  __builtin_cpu_init();
  return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

/*
 * Hashes the leaves of data[0, length) (the last may be short) into `digests` (32 bytes per leaf)
 * and reduces them to the roots of the RFC 6962 perfect subtrees that cover them, largest first
 * (one root per set bit of the leaf count), moved to the front of `digests`. Returns the number of
 * roots.
 */
static jint subtree_roots_keeping(const uint8_t *data, size_t length, size_t leaf_size, uint8_t *digests,
                                  uint8_t *leaves_copy);

static jint subtree_roots(const uint8_t *data, size_t length, size_t leaf_size, uint8_t *digests) {
  return subtree_roots_keeping(data, length, leaf_size, digests, NULL);
}

/* As subtree_roots; when leaves_copy is not NULL, every leaf digest is copied there first. */
static jint subtree_roots_keeping(const uint8_t *data, size_t length, size_t leaf_size, uint8_t *digests,
                                  uint8_t *leaves_copy) {
  size_t full_leaves = length / leaf_size;
  size_t last = length % leaf_size;
  size_t leaves = full_leaves + (last > 0);
  size_t i = 0;
  for (; i + 1 < full_leaves; i += 2) {
    const uint8_t *p = data + i * leaf_size;
    leaf_two(p, p + leaf_size, leaf_size, digests + 32 * i, digests + 32 * (i + 1));
  }
  if (i < full_leaves) {
    leaf_one(data + i * leaf_size, leaf_size, digests + 32 * i);
    i++;
  }
  if (last > 0) {
    leaf_one(data + i * leaf_size, last, digests + 32 * i);
  }
  if (leaves_copy != NULL) {
    memcpy(leaves_copy, digests, 32 * leaves);
  }
  jint roots = 0;
  size_t start = 0;
  for (int bit = 62; bit >= 0; bit--) {
    size_t size = (size_t)1 << bit;
    if (leaves & size) {
      reduce_perfect(digests + 32 * start, size);
      memmove(digests + 32 * roots, digests + 32 * start, 32);
      roots++;
      start += size;
    }
  }
  return roots;
}

/*
 * subtree_roots over buffer[offset, offset+length) of a direct buffer, into `out` (one digest per
 * leaf, as scratch space). The Java side checks every bound before calling.
 */
JNIEXPORT jint JNICALL Java_org_sentryml_core_hashing_NativeSha256_subtreeRoots(
    JNIEnv *env, jclass cls, jobject buffer, jlong offset, jlong length, jint leaf_size, jbyteArray out) {
  (void)cls;
  const uint8_t *data = (const uint8_t *)(*env)->GetDirectBufferAddress(env, buffer) + offset;
  uint8_t *digests = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (digests == NULL) {
    return -1; /* an OutOfMemoryError is pending */
  }
  jint roots = subtree_roots(data, (size_t)length, (size_t)leaf_size, digests);
  (*env)->ReleasePrimitiveArrayCritical(env, out, digests, 0);
  return roots;
}

/*
 * Hashing straight from the page cache. Reading a file into a buffer costs a copy of every byte
 * (measured: 0.63-0.77 s of CPU per 4 GiB, most of the remaining gap to the hashing floor);
 * mapping the window with MAP_POPULATE costs a fraction of that. A mapping has one hazard: if
 * another process truncates the file while it is hashed, touching a page past the new end raises
 * SIGBUS, which in native code would bring the whole JVM down. So the hashing runs under a guard:
 * a SIGBUS handler, installed once, jumps back out of a guarded region of the faulting thread and
 * passes every other SIGBUS on to the handler it replaced (the JVM's), as signal chaining does.
 */
static __thread sigjmp_buf *guard;
static struct sigaction previous_sigbus;
static pthread_once_t sigbus_once = PTHREAD_ONCE_INIT;
static int sigbus_installed;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  sigjmp_buf *g = guard;
  if (g != NULL) {
    guard = NULL;
    siglongjmp(*g, 1);
  }
  if (previous_sigbus.sa_flags & SA_SIGINFO) {
    previous_sigbus.sa_sigaction(sig, info, context);
  } else if (previous_sigbus.sa_handler == SIG_DFL) {
    signal(sig, SIG_DFL);
    raise(sig);
  } else if (previous_sigbus.sa_handler != SIG_IGN) {
    previous_sigbus.sa_handler(sig);
  }
}

static void install_sigbus_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigbus_installed = sigaction(SIGBUS, &action, &previous_sigbus) == 0;
}

/*
 * subtree_roots over bytes [offset, offset+length) of the file at `path`, read through a mapping.
 * Returns the number of roots, -2 when the file is shorter than offset+length before hashing, -4
 * when it was truncated while being hashed (a guarded SIGBUS), -3 when the file cannot be opened
 * or mapped (the caller falls back to reading).
 */
JNIEXPORT jint JNICALL Java_org_sentryml_core_hashing_NativeSha256_subtreeRootsOfFile(
    JNIEnv *env, jclass cls, jstring path, jlong offset, jlong length, jint leaf_size, jbyteArray out) {
  (void)cls;
  pthread_once(&sigbus_once, install_sigbus_handler);
  if (!sigbus_installed) {
    return -3;
  }
  const char *name = (*env)->GetStringUTFChars(env, path, NULL);
  if (name == NULL) {
    return -1; /* an OutOfMemoryError is pending */
  }
  int fd = open(name, O_RDONLY | O_CLOEXEC);
  (*env)->ReleaseStringUTFChars(env, path, name);
  if (fd < 0) {
    return -3;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -3;
  }
  if ((uint64_t)st.st_size < (uint64_t)offset + (uint64_t)length) {
    close(fd);
    return -2;
  }
  long page = sysconf(_SC_PAGESIZE);
  off_t aligned = (off_t)(offset - offset % page);
  size_t span = (size_t)(offset - aligned) + (size_t)length;
  void *map = length == 0 ? NULL : mmap(NULL, span, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, aligned);
  close(fd);
  if (map == MAP_FAILED) {
    return -3;
  }
  size_t leaves = (size_t)((length + leaf_size - 1) / leaf_size);
  uint8_t *digests = malloc(leaves > 0 ? 32 * leaves : 32);
  if (digests == NULL) {
    if (map != NULL) {
      munmap(map, span);
    }
    return -3;
  }
  sigjmp_buf jump;
  volatile jint roots = -4;
  if (sigsetjmp(jump, 1) == 0) {
    guard = &jump;
    roots = subtree_roots((const uint8_t *)map + (offset - aligned), (size_t)length, (size_t)leaf_size, digests);
    guard = NULL;
  }
  if (map != NULL) {
    munmap(map, span);
  }
  if (roots > 0) {
    (*env)->SetByteArrayRegion(env, out, 0, 32 * roots, (const jbyte *)digests);
  }
  free(digests);
  return roots;
}

/*
 * Segments: one read-only mapping of a large span of a file, shared by the threads that hash its
 * batches, populated batch by batch with MADV_POPULATE_READ and unmapped once. Mapping and
 * unmapping a small window per batch (the call above) costs a TLB shootdown of every other CPU of
 * the process per window, which in a VM is an inter-processor interrupt through the hypervisor:
 * measured as most of the kernel time of hashing a cached 4 GiB file on two vCPUs.
 */

/*
 * Maps bytes [offset, offset+length) of the file at `path`, clipped to the file's size, without
 * populating it. out[0] = address of byte `offset`, out[1] = bytes mapped from there, out[2] =
 * mapping base, out[3] = mapping span (for unmapSegment). Returns 0, or -3 when the file cannot be
 * opened or mapped.
 */
JNIEXPORT jint JNICALL Java_org_sentryml_core_hashing_NativeSha256_mapSegment(
    JNIEnv *env, jclass cls, jstring path, jlong offset, jlong length, jlongArray out) {
  (void)cls;
  const char *name = (*env)->GetStringUTFChars(env, path, NULL);
  if (name == NULL) {
    return -1; /* an OutOfMemoryError is pending */
  }
  int fd = open(name, O_RDONLY | O_CLOEXEC);
  (*env)->ReleaseStringUTFChars(env, path, name);
  if (fd < 0) {
    return -3;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -3;
  }
  uint64_t end = (uint64_t)offset + (uint64_t)length;
  if (end > (uint64_t)st.st_size) {
    end = (uint64_t)st.st_size;
  }
  jlong values[4] = {0, 0, 0, 0};
  if (end > (uint64_t)offset) {
    long page = sysconf(_SC_PAGESIZE);
    off_t aligned = (off_t)(offset - offset % page);
    size_t span = (size_t)(end - (uint64_t)aligned);
    void *map = mmap(NULL, span, PROT_READ, MAP_SHARED, fd, aligned);
    if (map == MAP_FAILED) {
      close(fd);
      return -3;
    }
    values[0] = (jlong)(uintptr_t)((uint8_t *)map + (offset - aligned));
    values[1] = (jlong)(end - (uint64_t)offset);
    values[2] = (jlong)(uintptr_t)map;
    values[3] = (jlong)span;
  }
  close(fd);
  (*env)->SetLongArrayRegion(env, out, 0, 4, values);
  return 0;
}

JNIEXPORT void JNICALL Java_org_sentryml_core_hashing_NativeSha256_unmapSegment(
    JNIEnv *env, jclass cls, jlong base, jlong span) {
  (void)env;
  (void)cls;
  if (base != 0) {
    munmap((void *)(uintptr_t)base, (size_t)span);
  }
}

/*
 * subtree_roots over `length` mapped bytes at `address` (inside a segment), populated first in
 * one call; every leaf digest is also written to `leaves_out` unless it is NULL. Returns the number
 * of roots, or -4 when the file was truncated under the mapping (populating reports EFAULT, or
 * hashing meets a guarded SIGBUS).
 */
JNIEXPORT jint JNICALL Java_org_sentryml_core_hashing_NativeSha256_subtreeRootsOfSegment(
    JNIEnv *env, jclass cls, jlong address, jlong length, jint leaf_size, jbyteArray out,
    jbyteArray leaves_out) {
  (void)cls;
  pthread_once(&sigbus_once, install_sigbus_handler);
  if (!sigbus_installed) {
    return -3;
  }
  const uint8_t *data = (const uint8_t *)(uintptr_t)address;
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t from = (uintptr_t)data - (uintptr_t)data % (uintptr_t)page;
#ifdef MADV_POPULATE_READ
  /* Older kernels (before 5.14) refuse the advice: the pages are then faulted in as touched. */
  if (madvise((void *)from, (size_t)((uintptr_t)data + (size_t)length - from), MADV_POPULATE_READ) != 0 &&
      errno == EFAULT) {
    return -4;
  }
#endif
  size_t leaves = (size_t)((length + leaf_size - 1) / leaf_size);
  uint8_t *digests = malloc(leaves > 0 ? 64 * leaves : 64);
  if (digests == NULL) {
    return -3;
  }
  uint8_t *copy = leaves_out != NULL ? digests + 32 * leaves : NULL;
  sigjmp_buf jump;
  volatile jint roots = -4;
  if (sigsetjmp(jump, 1) == 0) {
    guard = &jump;
    roots = subtree_roots_keeping(data, (size_t)length, (size_t)leaf_size, digests, copy);
    guard = NULL;
  }
  if (roots > 0) {
    (*env)->SetByteArrayRegion(env, out, 0, 32 * roots, (const jbyte *)digests);
    if (copy != NULL) {
      (*env)->SetByteArrayRegion(env, leaves_out, 0, (jsize)(32 * leaves), (const jbyte *)copy);
    }
  }
  free(digests);
  return roots;
}
