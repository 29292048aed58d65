#!/usr/bin/env bash
# Builds the optional CPU acceleration library (libsentrycpu.so) into $1 with gcc and the JNI
# headers of the JDK at $2. Without gcc, or on a CPU architecture it does not target, it builds
# nothing and says so: Sentry then hashes with the JDK's own SHA-256, with identical results.
set -euo pipefail
out_dir=$1
java_home=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(uname -m)" != x86_64 ]; then
  echo "native/cpu: $(uname -m) is not x86_64; skipping libsentrycpu (the JDK's SHA-256 is used)" >&2
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "native/cpu: gcc not found; skipping libsentrycpu (the JDK's SHA-256 is used)" >&2
  exit 0
fi
mkdir -p "$out_dir"
gcc -O3 -std=c11 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out_dir/libsentrycpu.so.tmp" "$here/sha256_leaves.c" -lpthread
mv "$out_dir/libsentrycpu.so.tmp" "$out_dir/libsentrycpu.so"
