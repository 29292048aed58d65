#!/usr/bin/env bash
# Builds the host test programs of the CUDA hash cores into $1/host_test and $1/host_hashes with nvcc (host code only,
# no GPU needed to run it), and compiles kernels.cu for sm_80 and sm_90 into $1/kernels.o to prove
# that the kernels compile. Without nvcc it builds nothing, says so, and exits 0.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
nvcc_bin=${NVCC:-nvcc}
if ! command -v "$nvcc_bin" >/dev/null 2>&1; then
  echo "native/cuda: nvcc not found; skipping the CUDA host test build" >&2
  exit 0
fi
mkdir -p "$out_dir"
flags=(-std=c++17 -O2 -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror)
"$nvcc_bin" "${flags[@]}" -x cu -o "$out_dir/host_test.tmp" "$here/host_test.cu"
mv "$out_dir/host_test.tmp" "$out_dir/host_test"
"$nvcc_bin" "${flags[@]}" -x cu -o "$out_dir/host_hashes.tmp" "$here/host_hashes.cu"
mv "$out_dir/host_hashes.tmp" "$out_dir/host_hashes"
"$nvcc_bin" "${flags[@]}" \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
  -c -o "$out_dir/kernels.o.tmp" "$here/kernels.cu"
mv "$out_dir/kernels.o.tmp" "$out_dir/kernels.o"
echo "native/cuda: built $out_dir/host_test, $out_dir/host_hashes and $out_dir/kernels.o (sm_80, sm_90)"
