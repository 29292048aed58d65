#!/usr/bin/env bash
# GPU checks on a machine with an NVIDIA GPU but no JDK or Maven (the project's lent device
# machine: 16 cores, 128 GiB, 64 GiB disk, CUDA, Python with PyTorch and nvidia-cufile), in two
# steps:
#
#   tools/device-check.sh prepare   here, after `./mvnw install -DskipTests` and `./mvnw test-compile`:
#                                   fills .device/ (git-ignored) with a jlinked Java runtime, the
#                                   jars the GPU tests and `sentry bench --gpu` need, the test
#                                   classes and JUnit's console launcher (about 50 MiB: carry
#                                   .device; a device call carries 64 MiB at most, tree included)
#   tools/device-check.sh run       there, from the repository root: the GPU tests (CudaEngine
#                                   against CpuEngine, cuFile against pinned reads and in place)
#                                   with CUDA_LAUNCH_BLOCKING=1, then `sentry bench --gpu` on an
#                                   8 GiB file. Everything lands in $OUT (or ./device-out):
#                                   machine.txt, steps.txt (seconds per step), gpu-tests.log,
#                                   junit/ (JUnit XML), gpu-bench.md, cufile logs, hs_err files.
#
# The run is bounded: tests and bench each run under `timeout -s QUIT -k 20` (a thread dump into
# the log, then a kill), well under 10 minutes in all. It fails unless every GPU test ran and
# passed: without a GPU, CudaEngineGpuTest is skipped and the run says so and exits 1. The tests
# that need only nvcc (HostCompiled*) are not run here; they run wherever the suite runs.
#
# libcufile is taken from the Python package nvidia-cufile when it is installed (the CUDA 13 wheel
# puts it in site-packages/nvidia/cu13/lib, the CUDA 12 one in nvidia/cufile/lib), so that the
# cuFile path (GDS or its compat mode) is exercised too; the tests build their own cuFile
# configuration and the bench is given cufile.json, so CUFILE_ENV_PATH_JSON is unset for both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dev="$root/.device"

# Jars the GPU tests and `sentry bench --gpu` load (the rest of the dependencies are never touched
# by them and would not fit the 64 MiB a device call may carry).
needed_jars='sentry-core-|sentry-cli|sentry-confidential-|tink-|jcuda-12|picocli-|gson-|progressbar-|jline-|slf4j-'
# JUnit's Jupiter engine from the test dependencies of sentry-core; the console launcher, the
# launcher and the XML reports (not test dependencies: surefire brings its own) are added by version.
junit_jars='junit-jupiter-(api|engine|params)-|junit-platform-(commons|engine)-|opentest4j-|apiguardian-'
test_seconds=270
bench_seconds=200
bench_size=8589934592

prepare() {
  local jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  [ -x "$jdk/bin/jlink" ] || { echo "prepare: no jlink under $jdk (set JAVA_HOME to a JDK 21+)" >&2; exit 2; }
  for jar in "$root"/sentry-core/target/sentry-core-*.jar "$root"/sentry-cli/target/sentry-cli.jar; do
    [ -f "$jar" ] || { echo "prepare: build first (./mvnw -DskipTests install): $jar missing" >&2; exit 2; }
  done
  [ -d "$root/sentry-core/target/test-classes" ] || { echo "prepare: run ./mvnw test-compile first" >&2; exit 2; }
  local all
  all=$(mktemp -d)
  trap 'rm -rf "$all"' RETURN
  rm -rf "$dev"
  mkdir -p "$dev/lib"
  # Offline: install has put every artifact into the local repository already.
  (cd "$root/sentry-cli" && JAVA_HOME=$jdk "$root/mvnw" -o -q -B dependency:copy-dependencies -DoutputDirectory="$all/cli")
  (cd "$root/sentry-core" && JAVA_HOME=$jdk "$root/mvnw" -o -q -B dependency:copy-dependencies -DincludeScope=test \
    -DoutputDirectory="$all/test")
  local platform
  platform=$(find "$all/test" -name 'junit-platform-engine-*.jar' | sed 's/.*engine-\(.*\)\.jar/\1/')
  for artifact in junit-platform-launcher junit-platform-console junit-platform-reporting; do
    (cd "$root/sentry-core" && JAVA_HOME=$jdk "$root/mvnw" -o -q -B dependency:copy \
      -Dartifact="org.junit.platform:$artifact:$platform" -DoutputDirectory="$dev/lib")
  done
  find "$all/cli" -name '*.jar' | grep -E "/($needed_jars)" | grep -v '/sentry-core-' | xargs -I{} cp {} "$dev/lib/"
  find "$all/test" -name '*.jar' | grep -E "/($junit_jars)" | xargs -I{} cp {} "$dev/lib/"
  # The GPU tests' data and fixtures come from the testkit (test scope, so not among the cli's jars).
  find "$all/test" -name 'sentry-testkit-*.jar' -exec cp {} "$dev/lib/" \;
  cp "$root"/sentry-core/target/sentry-core-*.jar "$root"/sentry-cli/target/sentry-cli.jar "$dev/lib/"
  # JCuda's natives without the PTX compiler and NVRTC (24 MB): the engine loads cubins.
  local natives="$all/natives"
  mkdir -p "$natives"
  (cd "$natives" && unzip -q "$all"/cli/jcuda-natives-*.jar && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* \
    && "$jdk/bin/jar" --create --file "$dev/lib/jcuda-natives-driver-runtime.jar" -C "$natives" lib)
  cp -r "$root/sentry-core/target/test-classes" "$dev/test-classes"
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$dev/java"
  strip --strip-unneeded "$dev/java/lib/server/libjvm.so"
  local mib
  mib=$(du -sm "$dev" | cut -f1)
  echo "prepare: .device is $mib MiB (a device call carries 64 MiB with the tree)"
  [ "$mib" -le 55 ] || { echo "prepare: .device is over 55 MiB" >&2; exit 1; }
}

# `timed NAME COMMAND...`: runs the command, appends "NAME seconds exit" to steps.txt, returns its
# exit status.
timed() {
  local name=$1 start rc ms
  shift
  start=$(date +%s%N)
  set +e
  "$@"
  rc=$?
  set -e
  ms=$((($(date +%s%N) - start) / 1000000))
  printf '%-8s %5d.%d s  exit %d\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) "$rc" | tee -a "$out/steps.txt"
  return "$rc"
}

# What a result depends on: driver, clocks, compute mode, kernel, /tmp's file system (O_DIRECT on
# tmpfs needs Linux 6.6), whether nvidia-fs is loaded (real GDS or compat mode).
machine() {
  {
    echo "== nvidia-smi"
    if command -v nvidia-smi >/dev/null; then
      nvidia-smi -L || true
      nvidia-smi --query-gpu=name,driver_version,compute_mode,clocks.sm,clocks.max.sm,clocks.mem,power.limit,pcie.link.gen.current,pcie.link.width.current,memory.total \
        --format=csv || true
    else
      echo "nvidia-smi not found"
    fi
    echo "== uname -r"; uname -r
    echo "== nproc"; nproc
    echo "== df -T /tmp"; df -T /tmp
    echo "== nvidia_fs"; if [ -d /sys/module/nvidia_fs ]; then echo "loaded: real GDS possible"; else echo "not loaded: cuFile compat mode"; fi
  } 2>&1
}

# Adds nvidia-cufile's libcufile to LD_LIBRARY_PATH (CUDA 13 layout first, then CUDA 12's; in the
# site-packages folders and on Python's path, which covers virtual environments) and says which
# directory it used, or that there is none.
find_libcufile() {
  local dir
  dir=$(python3 - <<'EOF' 2>/dev/null || true
import os, site, sys
roots = site.getsitepackages() + [site.getusersitepackages()] + sys.path
for layout in ("nvidia/cu13/lib", "nvidia/cufile/lib"):
    for r in roots:
        d = os.path.join(r, layout)
        if os.path.exists(os.path.join(d, "libcufile.so.0")):
            print(d)
            raise SystemExit
EOF
)
  if [ -n "$dir" ]; then
    export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "libcufile from $dir"
  else
    echo "libcufile: not found in site-packages (nvidia/cu13/lib, nvidia/cufile/lib); cuFile is not exercised"
  fi
}

# Tests of CudaEngineGpuTest in JUnit's XML report: "ran skipped" (0 0 when the class was
# disabled or the report is missing).
gpu_test_counts() {
  python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET, glob
ran = skipped = 0
for report in glob.glob(sys.argv[1] + "/*.xml"):
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.get("classname") == "org.sentryml.core.engine.cuda.CudaEngineGpuTest":
            ran += 1
            if case.find("skipped") is not None:
                skipped += 1
print(ran, skipped)
EOF
}

gpu_tests() {
  mkdir -p "$out/gpu-tests"
  # The working directory is where libcufile writes cufile.log.
  (cd "$out/gpu-tests" && CUDA_LAUNCH_BLOCKING=1 timeout -s QUIT -k 20 "$test_seconds" \
    java --enable-native-access=ALL-UNNAMED -Xmx8g -XX:ErrorFile="$out/hs_err_%p.log" \
    -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
    --details=tree --disable-banner --reports-dir "$out/junit" \
    --select-class org.sentryml.core.engine.cuda.CudaProbeTest \
    --select-class org.sentryml.core.engine.cuda.CuFileTest \
    --select-class org.sentryml.core.engine.cuda.CudaKernelsTest \
    --select-class org.sentryml.core.engine.cuda.CudaEngineGpuTest) >"$out/gpu-tests.log" 2>&1
}

gpu_bench() {
  mkdir -p "$out/gpu-bench"
  (cd "$out/gpu-bench" && timeout -s QUIT -k 20 "$bench_seconds" \
    java --enable-native-access=ALL-UNNAMED -Xmx4g -XX:ErrorFile="$out/hs_err_%p.log" \
    -cp "$cp" org.sentryml.cli.SentryCli bench --gpu --size "$bench_size" --file /tmp/sentry-bench-8g.bin \
    --cufile-config "$root/cufile.json") >"$out/gpu-bench.md" 2>&1
}

run() {
  out=${OUT:-$root/device-out}
  mkdir -p "$out"
  : >"$out/steps.txt"
  [ -x "$dev/java/bin/java" ] || { echo "run: .device/ is missing: run 'tools/device-check.sh prepare' first and carry .device" >&2; exit 2; }
  export PATH="$dev/java/bin:$PATH" SENTRY_HOME="$root"
  unset CUFILE_ENV_PATH_JSON
  # One class path for test classes and jars: the tests use package-private engine classes, which
  # must come from the same class loader.
  cp="$dev/test-classes:$(find "$dev/lib" -name '*.jar' | sort | paste -sd:)"
  machine >"$out/machine.txt"
  # Not in a pipe: the function exports LD_LIBRARY_PATH for the steps below.
  find_libcufile >"$out/libcufile.txt"
  tee -a "$out/machine.txt" <"$out/libcufile.txt"
  local tests=0 bench=0
  timed tests gpu_tests || tests=$?
  tail -n 15 "$out/gpu-tests.log"
  local ran skipped
  read -r ran skipped <<<"$(gpu_test_counts "$out/junit" || echo 0 0)"
  timed bench gpu_bench || bench=$?
  cat "$out/gpu-bench.md"
  local problems=()
  [ "$ran" -gt 0 ] && [ "$skipped" -eq 0 ] ||
    problems+=("CudaEngineGpuTest did not run in full: $ran tests reported, $skipped skipped (no usable GPU, or cuFile unusable; see gpu-tests.log)")
  [ "$tests" -eq 0 ] || problems+=("GPU tests exit $tests (124 or 137: timed out after $test_seconds s)")
  [ "$bench" -eq 0 ] || problems+=("bench exit $bench (5: no usable GPU; 124 or 137: timed out after $bench_seconds s)")
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'device-check: FAILED: %s\n' "${problems[@]}" | tee -a "$out/steps.txt"
    exit 1
  fi
  echo "device-check: passed ($ran GPU tests)" | tee -a "$out/steps.txt"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
