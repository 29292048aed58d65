#!/usr/bin/env bash
# Compiles kernels.cu into ONE fatbin, $1/sentry_kernels.fatbin: cubins for sm_80 (A100), sm_89
# (L4/Ada) and sm_90 (H100), plus compute_90 PTX so newer GPUs can JIT it. The engine loads it with
# cuModuleLoadDataEx (CudaKernels; JCuda's own PTX compiler predates nvcc 13's PTX, so the cubins matter).
# Without nvcc it builds nothing, says why, and exits 0: the cuda engine then reports the kernels
# as not packaged.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
# NVCC, when set, is used as is (so a build can be made to skip); otherwise PATH, then /usr/local/cuda.
nvcc_bin=${NVCC:-nvcc}
if [ -z "${NVCC:-}" ] && ! command -v "$nvcc_bin" >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  nvcc_bin=/usr/local/cuda/bin/nvcc
fi
if ! command -v "$nvcc_bin" >/dev/null 2>&1; then
  echo "native/cuda: nvcc not found; CUDA kernels NOT packaged (the cuda engine will be unavailable)" >&2
  exit 0
fi
mkdir -p "$out_dir"
# nvcc takes ~30 s for four targets: skip when the fatbin is newer than every source.
fatbin="$out_dir/sentry_kernels.fatbin"
if [ -f "$fatbin" ] && [ -z "$(find "$here" -name '*.cu*' -newer "$fatbin")" ]; then
  echo "native/cuda: $fatbin is up to date"
  exit 0
fi
"$nvcc_bin" -std=c++17 -O3 -Werror all-warnings -Xcompiler -Wall,-Wextra,-Werror \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_89,code=sm_89 \
  -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 \
  -fatbin -o "$out_dir/sentry_kernels.fatbin.tmp" "$here/kernels.cu"
mv "$out_dir/sentry_kernels.fatbin.tmp" "$out_dir/sentry_kernels.fatbin"
echo "native/cuda: built $out_dir/sentry_kernels.fatbin (sm_80, sm_89, sm_90 + compute_90 PTX)"
