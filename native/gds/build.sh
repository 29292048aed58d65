#!/usr/bin/env bash
# Builds the cuFile JNI shim into $1/libsentry_cufile.so with the JDK at $2. Needs no CUDA headers
# or libraries (libcufile is dlopen()ed at run time); the sentry-core build packages the result for
# org.sentryml.core.engine.cuda.CuFile. Without gcc it builds nothing, says so, and exits 0: the
# cuda engine then reads through pinned buffers and says why.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 OUTDIR JAVA_HOME" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(uname -m)" != x86_64 ]; then
  echo "native/gds: $(uname -m) is not x86_64; cuFile shim not built" >&2
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "native/gds: gcc not found; cuFile shim not built" >&2
  exit 0
fi
mkdir -p "$1"
gcc -O2 -std=c11 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -I"$2/include" -I"$2/include/linux" \
  -o "$1/libsentry_cufile.so.tmp" "$here/cufile_shim.c" -ldl
mv "$1/libsentry_cufile.so.tmp" "$1/libsentry_cufile.so"
echo "native/gds: built $1/libsentry_cufile.so"
