#!/usr/bin/env bash
# Builds the host test programs of the CUDA hash cores into $1/host_test and $1/host_hashes with nvcc
# (host code only: no GPU is needed to run them). The sentry-core build runs it once, in
# process-test-classes; the kernels themselves are compiled for every target by build-fatbin.sh.
# Without nvcc it builds nothing, says so, and exits 0: the tests that need the programs then skip.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
# NVCC, when set, is used as is; otherwise PATH, then /usr/local/cuda (as build-fatbin.sh).
nvcc_bin=${NVCC:-nvcc}
if [ -z "${NVCC:-}" ] && ! command -v "$nvcc_bin" >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  nvcc_bin=/usr/local/cuda/bin/nvcc
fi
if ! command -v "$nvcc_bin" >/dev/null 2>&1; then
  echo "native/cuda: nvcc not found; CUDA host test programs NOT built (their tests will skip)" >&2
  exit 0
fi
mkdir -p "$out_dir"
flags=(-std=c++17 -O2 -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror)
for program in host_test host_hashes; do
  # Skip a program newer than every CUDA source: a build without clean then costs no nvcc time.
  if [ -x "$out_dir/$program" ] && [ -z "$(find "$here" -name '*.cu*' -newer "$out_dir/$program")" ]; then
    echo "native/cuda: $out_dir/$program is up to date"
    continue
  fi
  "$nvcc_bin" "${flags[@]}" -x cu -o "$out_dir/$program.tmp" "$here/$program.cu"
  mv "$out_dir/$program.tmp" "$out_dir/$program"
  echo "native/cuda: built $out_dir/$program"
done
