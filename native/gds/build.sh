#!/usr/bin/env bash
# Builds the cuFile JNI shim into $1/libsentry_cufile.so with the JDK at $2. Needs no CUDA headers
# or libraries (libcufile is dlopen()ed at run time). Not wired into the Maven build yet: no Java
# class calls it. Without gcc it builds nothing, says so, and exits 0.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 OUTDIR JAVA_HOME" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v gcc >/dev/null 2>&1; then
  echo "native/gds: gcc not found; cuFile shim not built" >&2
  exit 0
fi
mkdir -p "$1"
gcc -O2 -Wall -Wextra -Werror -fPIC -shared -I"$2/include" -I"$2/include/linux" \
  -o "$1/libsentry_cufile.so" "$here/cufile_shim.c" -ldl
echo "native/gds: built $1/libsentry_cufile.so"
