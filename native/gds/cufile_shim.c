// JNI shim over cuFile (GPUDirect Storage) for org.sentryml.core.engine.cuda.CuFile.
// libcufile is dlopen()ed at run time, so this library builds and loads where GDS is absent and
// reports why instead of failing to link. cufile.h is not needed: the few declarations below follow
// NVIDIA's public cuFile API reference (cuFileDriverOpen, cuFileHandleRegister, cuFileRead,
// cuFileHandleDeregister, cuFileDriverClose) and only the fields this shim touches.
// O_DIRECT is a GNU extension of fcntl.h.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

// CUfileError_t: an operation status (0 = success) plus a CUDA driver status.
typedef struct {
  int err;
  int cu_err;
} cufile_error;

// CUfileDescr_t with handle type CU_FILE_HANDLE_TYPE_OPAQUE_FD (1): a POSIX descriptor.
typedef struct {
  int type;
  union {
    int fd;
    void *handle;
  } handle;
  const void *fs_ops;
} cufile_descr;

typedef void *cufile_handle;

static struct {
  void *lib;
  cufile_error (*driver_open)(void);
  cufile_error (*driver_close)(void);
  cufile_error (*handle_register)(cufile_handle *, cufile_descr *);
  void (*handle_deregister)(cufile_handle);
  ssize_t (*read)(cufile_handle, void *, size_t, off_t, off_t);
} cf;

static char last_error[256];

// Loads libcufile and opens the driver once; null on success, else the reason.
static const char *load(void) {
  if (cf.lib != NULL) {
    return NULL;
  }
  void *lib = dlopen("libcufile.so.0", RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    lib = dlopen("libcufile.so", RTLD_NOW | RTLD_LOCAL);
  }
  if (lib == NULL) {
    snprintf(last_error, sizeof last_error, "libcufile not loadable: %s", dlerror());
    return last_error;
  }
  // dlsym returns void *; the casts through a union-free assignment are the POSIX idiom.
  *(void **)&cf.driver_open = dlsym(lib, "cuFileDriverOpen");
  *(void **)&cf.driver_close = dlsym(lib, "cuFileDriverClose");
  *(void **)&cf.handle_register = dlsym(lib, "cuFileHandleRegister");
  *(void **)&cf.handle_deregister = dlsym(lib, "cuFileHandleDeregister");
  *(void **)&cf.read = dlsym(lib, "cuFileRead");
  if (!cf.driver_open || !cf.driver_close || !cf.handle_register || !cf.handle_deregister || !cf.read) {
    snprintf(last_error, sizeof last_error, "libcufile lacks a cuFile symbol");
    dlclose(lib);
    return last_error;
  }
  cufile_error e = cf.driver_open();
  if (e.err != 0) {
    snprintf(last_error, sizeof last_error, "cuFileDriverOpen failed: error %d, cuda %d", e.err, e.cu_err);
    dlclose(lib);
    return last_error;
  }
  cf.lib = lib;
  return NULL;
}

// static native String open(): null when cuFile is ready, else why not.
JNIEXPORT jstring JNICALL Java_org_sentryml_core_engine_cuda_CuFile_open(JNIEnv *env, jclass cls) {
  (void)cls;
  const char *why = load();
  return why == NULL ? NULL : (*env)->NewStringUTF(env, why);
}

// A registered file: the descriptor cuFile reads and the handle it returned for it.
typedef struct {
  int fd;
  cufile_handle handle;
} registered_file;

// static native long register(String path): an opaque handle (> 0) for read() and deregister(), or
// -errno when the file cannot be opened, or -(1000 + cuFile error) when cuFile refuses it.
JNIEXPORT jlong JNICALL Java_org_sentryml_core_engine_cuda_CuFile_register(JNIEnv *env, jclass cls,
                                                                          jstring path) {
  (void)cls;
  if (load() != NULL) {
    return -1000;
  }
  const char *p = (*env)->GetStringUTFChars(env, path, NULL);
  if (p == NULL) {
    return -ENOMEM;
  }
  // O_DIRECT is what lets GDS bypass the page cache; compat mode accepts it too.
  int fd = open(p, O_RDONLY | O_DIRECT | O_CLOEXEC);
  int open_errno = errno;
  (*env)->ReleaseStringUTFChars(env, path, p);
  if (fd < 0) {
    return -(jlong)open_errno;
  }
  registered_file *file = malloc(sizeof *file);
  if (file == NULL) {
    close(fd);
    return -ENOMEM;
  }
  cufile_descr descr;
  memset(&descr, 0, sizeof descr);
  descr.type = 1;
  descr.handle.fd = fd;
  cufile_error e = cf.handle_register(&file->handle, &descr);
  if (e.err != 0) {
    close(fd);
    free(file);
    return -(jlong)(1000 + e.err);
  }
  file->fd = fd;
  return (jlong)(intptr_t)file;
}

// static native long read(long handle, long devicePointer, long size, long fileOffset): bytes read
// straight into device memory (fewer than size only at end of file), or a negative cuFile status.
JNIEXPORT jlong JNICALL Java_org_sentryml_core_engine_cuda_CuFile_read(JNIEnv *env, jclass cls,
                                                                      jlong handle, jlong device,
                                                                      jlong size, jlong offset) {
  (void)env;
  (void)cls;
  registered_file *file = (registered_file *)(intptr_t)handle;
  return (jlong)cf.read(file->handle, (void *)(intptr_t)device, (size_t)size, (off_t)offset, 0);
}

// static native void deregister(long handle): releases what register() took.
JNIEXPORT void JNICALL Java_org_sentryml_core_engine_cuda_CuFile_deregister(JNIEnv *env, jclass cls,
                                                                           jlong handle) {
  (void)env;
  (void)cls;
  registered_file *file = (registered_file *)(intptr_t)handle;
  cf.handle_deregister(file->handle);
  close(file->fd);
  free(file);
}
