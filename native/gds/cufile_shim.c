// JNI shim over cuFile (GPUDirect Storage) for org.sentryml.core.engine.cuda.CuFile.
// libcufile is dlopen()ed at run time, so this library builds and loads where GDS is absent and
// reports why instead of failing to link. cufile.h is not needed: the few declarations below follow
// NVIDIA's public cuFile API reference (cuFileDriverOpen, cuFileHandleRegister, cuFileRead,
// cuFileBufRegister, their counterparts, cuFileDriverClose) and only the fields this shim touches.
// Calls that take device memory need a current CUDA context on the calling thread; the engine makes
// its primary context current on every thread that calls in.
// O_DIRECT and setenv are extensions of fcntl.h and stdlib.h.
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
  int open; // cuFileDriverOpen succeeded and no close followed
  cufile_error (*driver_open)(void);
  cufile_error (*driver_close)(void); // null when libcufile has neither name
  cufile_error (*handle_register)(cufile_handle *, cufile_descr *);
  void (*handle_deregister)(cufile_handle);
  cufile_error (*buf_register)(const void *, size_t, int);
  cufile_error (*buf_deregister)(const void *);
  ssize_t (*read)(cufile_handle, void *, size_t, off_t, off_t);
} cf;

static char last_error[512];

// A negative status for Java: -errno for system errors, -(1000 + code) for cuFile errors.
static jlong cufile_status(int code) { return -(jlong)(1000 + code); }

// Loads libcufile once; null on success, else the reason.
static const char *load_library(void) {
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
  // dlsym returns void *; assigning through a void ** is the POSIX idiom for function pointers.
  *(void **)&cf.driver_open = dlsym(lib, "cuFileDriverOpen");
  *(void **)&cf.handle_register = dlsym(lib, "cuFileHandleRegister");
  *(void **)&cf.handle_deregister = dlsym(lib, "cuFileHandleDeregister");
  *(void **)&cf.buf_register = dlsym(lib, "cuFileBufRegister");
  *(void **)&cf.buf_deregister = dlsym(lib, "cuFileBufDeregister");
  *(void **)&cf.read = dlsym(lib, "cuFileRead");
  // cufile.h maps cuFileDriverClose to cuFileDriverClose_v2; older libraries have only the first.
  *(void **)&cf.driver_close = dlsym(lib, "cuFileDriverClose_v2");
  if (cf.driver_close == NULL) {
    *(void **)&cf.driver_close = dlsym(lib, "cuFileDriverClose");
  }
  if (!cf.driver_open || !cf.handle_register || !cf.handle_deregister || !cf.buf_register ||
      !cf.buf_deregister || !cf.read) {
    snprintf(last_error, sizeof last_error, "libcufile lacks a cuFile symbol");
    dlclose(lib);
    return last_error;
  }
  cf.lib = lib;
  return NULL;
}

// static native String open(String config): null once the driver is open, else why not. libcufile
// reads its configuration from CUFILE_ENV_PATH_JSON when the driver opens, so the path chosen in
// Java is put into the process environment first (System.getenv cannot be changed from Java).
JNIEXPORT jstring JNICALL Java_org_sentryml_core_engine_cuda_CuFile_open(JNIEnv *env, jclass cls,
                                                                        jstring config) {
  (void)cls;
  if (cf.open) {
    return NULL;
  }
  const char *path = (*env)->GetStringUTFChars(env, config, NULL);
  if (path == NULL) {
    return (*env)->NewStringUTF(env, "out of memory");
  }
  int set = setenv("CUFILE_ENV_PATH_JSON", path, 1);
  (*env)->ReleaseStringUTFChars(env, config, path);
  if (set != 0) {
    snprintf(last_error, sizeof last_error, "cannot set CUFILE_ENV_PATH_JSON: %s", strerror(errno));
    return (*env)->NewStringUTF(env, last_error);
  }
  const char *why = load_library();
  if (why == NULL) {
    cufile_error e = cf.driver_open();
    if (e.err != 0) {
      snprintf(last_error, sizeof last_error, "cuFileDriverOpen failed: error %d, cuda %d", e.err,
               e.cu_err);
      why = last_error;
    } else {
      cf.open = 1;
    }
  }
  return why == NULL ? NULL : (*env)->NewStringUTF(env, why);
}

// static native void close(): closes the driver when the library has a close call (it does no
// harm to leave it open until the process exits otherwise).
JNIEXPORT void JNICALL Java_org_sentryml_core_engine_cuda_CuFile_close(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  if (cf.open && cf.driver_close != NULL) {
    cf.driver_close();
  }
  cf.open = 0;
}

// static native long bufRegister(long device, long size): 0, or a negative status. Registered
// device memory is read into directly; unregistered memory goes through cuFile's bounce buffers.
JNIEXPORT jlong JNICALL Java_org_sentryml_core_engine_cuda_CuFile_bufRegister(JNIEnv *env,
                                                                             jclass cls,
                                                                             jlong device,
                                                                             jlong size) {
  (void)env;
  (void)cls;
  cufile_error e = cf.buf_register((const void *)(intptr_t)device, (size_t)size, 0);
  return e.err == 0 ? 0 : cufile_status(e.err);
}

// static native void bufDeregister(long device)
JNIEXPORT void JNICALL Java_org_sentryml_core_engine_cuda_CuFile_bufDeregister(JNIEnv *env,
                                                                              jclass cls,
                                                                              jlong device) {
  (void)env;
  (void)cls;
  cf.buf_deregister((const void *)(intptr_t)device);
}

// A registered file: the descriptor cuFile reads and the handle it returned for it.
typedef struct {
  int fd;
  cufile_handle handle;
} registered_file;

// static native long register(String path, boolean direct): an opaque handle (> 0) for read() and
// deregister(), or -errno when the file cannot be opened, or -(1000 + cuFile error) when cuFile
// refuses it. direct asks for O_DIRECT (real GDS, where nvidia-fs bypasses the page cache); a file
// system that refuses it (EINVAL: tmpfs before Linux 6.6, some FUSE mounts) gets a buffered
// descriptor, as compat mode always does: compat mode reads through the page cache then.
JNIEXPORT jlong JNICALL Java_org_sentryml_core_engine_cuda_CuFile_register(JNIEnv *env, jclass cls,
                                                                          jstring path,
                                                                          jboolean direct) {
  (void)cls;
  if (!cf.open) {
    return cufile_status(0);
  }
  const char *p = (*env)->GetStringUTFChars(env, path, NULL);
  if (p == NULL) {
    return -ENOMEM;
  }
  int fd = -1;
  if (direct) {
    fd = open(p, O_RDONLY | O_DIRECT | O_CLOEXEC);
  }
  if (fd < 0 && (!direct || errno == EINVAL)) {
    fd = open(p, O_RDONLY | O_CLOEXEC);
  }
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
    return cufile_status(e.err);
  }
  file->fd = fd;
  return (jlong)(intptr_t)file;
}

// static native long read(long handle, long base, long size, long fileOffset, long bufferOffset):
// bytes read into device memory at base + bufferOffset (base being a registered buffer's start or
// any device pointer), fewer than size only at end of file; or a negative status.
JNIEXPORT jlong JNICALL Java_org_sentryml_core_engine_cuda_CuFile_read(JNIEnv *env, jclass cls,
                                                                      jlong handle, jlong base,
                                                                      jlong size, jlong offset,
                                                                      jlong buffer_offset) {
  (void)env;
  (void)cls;
  registered_file *file = (registered_file *)(intptr_t)handle;
  ssize_t n = cf.read(file->handle, (void *)(intptr_t)base, (size_t)size, (off_t)offset,
                      (off_t)buffer_offset);
  // cuFileRead returns -1 with errno set for system errors, -CUfileOpError for its own.
  if (n == -1) {
    return -(jlong)errno;
  }
  return n < 0 ? cufile_status((int)-n) : (jlong)n;
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
