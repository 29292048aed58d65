#!/usr/bin/env bash
# GPU checks on a machine with an NVIDIA GPU but no JDK or Maven (the project's lent device
# machine), in two steps:
#
#   tools/device-check.sh prepare   here, after `mvn install -DskipTests` and `mvn test-compile`:
#                                   fills .device/ (git-ignored) with a jlinked Java runtime, the
#                                   jars the GPU tests and `sentry bench --gpu` need, the test
#                                   classes and JUnit's console launcher (~50 MiB: carry .device)
#   tools/device-check.sh run       there, from the repository root: the GPU tests (CudaEngine
#                                   against CpuEngine, cuFile against pinned reads), the host-built
#                                   kernel tests, then `sentry bench --gpu` on an 8 GiB file;
#                                   logs go to $OUT (or ./device-out) as gpu-tests.log, gpu-bench.md
#
# libcufile is taken from the Python package nvidia-cufile when it is installed there, so that the
# cuFile path (GDS or its compat mode) is exercised too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dev="$root/.device"

# Jars the GPU tests and `sentry bench --gpu` load (the rest of the dependencies are never touched
# by them and would not fit the 64 MiB a device call may carry).
needed_jars='sentry-core-|sentry-cli|jcuda-12|picocli-|gson-|progressbar-|jline-|slf4j-'

prepare() {
  local jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  [ -x "$jdk/bin/jlink" ] || { echo "prepare: no jlink under $jdk (set JAVA_HOME to a JDK 21+)" >&2; exit 2; }
  for jar in "$root"/sentry-core/target/sentry-core-*.jar "$root"/sentry-cli/target/sentry-cli.jar; do
    [ -f "$jar" ] || { echo "prepare: build first (mvn -DskipTests install): $jar missing" >&2; exit 2; }
  done
  [ -d "$root/sentry-core/target/test-classes" ] || { echo "prepare: run mvn test-compile first" >&2; exit 2; }
  local all
  all=$(mktemp -d)
  trap 'rm -rf "$all"' RETURN
  rm -rf "$dev"
  mkdir -p "$dev/lib"
  (cd "$root/sentry-cli" && JAVA_HOME=$jdk mvn -q -B dependency:copy-dependencies -DoutputDirectory="$all")
  (cd "$root/sentry-core" && JAVA_HOME=$jdk mvn -q -B dependency:copy \
    -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$dev/lib")
  find "$all" -name '*.jar' | grep -E "/($needed_jars)" | grep -v '/sentry-core-' | xargs -I{} cp {} "$dev/lib/"
  cp "$root"/sentry-core/target/sentry-core-*.jar "$root"/sentry-cli/target/sentry-cli.jar "$dev/lib/"
  # JCuda's natives without the PTX compiler and NVRTC (24 MB): the engine loads cubins.
  local natives="$all/natives"
  mkdir -p "$natives"
  (cd "$natives" && unzip -q "$all"/jcuda-natives-*.jar && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* \
    && "$jdk/bin/jar" --create --file "$dev/lib/jcuda-natives-driver-runtime.jar" -C "$natives" lib)
  cp -r "$root/sentry-core/target/test-classes" "$dev/test-classes"
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$dev/java"
  strip --strip-unneeded "$dev/java/lib/server/libjvm.so"
  du -sh "$dev"
}

run() {
  local out=${OUT:-$root/device-out}
  mkdir -p "$out"
  [ -x "$dev/java/bin/java" ] || { echo "run: .device/ is missing: run 'tools/device-check.sh prepare' first and carry .device" >&2; exit 2; }
  export PATH="$dev/java/bin:$PATH" SENTRY_HOME="$root"
  nvidia-smi -L | tee "$out/gpu.txt" || true
  local cufile
  cufile=$(python3 -c 'import nvidia.cufile, os; print(os.path.join(list(nvidia.cufile.__path__)[0], "lib"))' 2>/dev/null || true)
  if [ -n "$cufile" ] && [ -d "$cufile" ]; then
    export LD_LIBRARY_PATH="$cufile${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "libcufile from $cufile" | tee -a "$out/gpu.txt"
  fi
  export CUFILE_ENV_PATH_JSON="$root/cufile.json"
  local cp
  cp="$dev/test-classes:$(find "$dev/lib" -name '*.jar' ! -name 'junit-platform-console-standalone-*' | sort | paste -sd:)"
  set +e
  java --enable-native-access=ALL-UNNAMED -Xmx8g -jar "$dev"/lib/junit-platform-console-standalone-*.jar \
    execute --class-path "$cp" --details=tree --disable-banner \
    --select-class org.sentryml.core.engine.cuda.CudaProbeTest \
    --select-class org.sentryml.core.engine.cuda.CuFileTest \
    --select-class org.sentryml.core.engine.cuda.CudaEngineGpuTest \
    --select-class org.sentryml.core.engine.cuda.HostCompiledHashesTest \
    --select-class org.sentryml.core.engine.cuda.HostCompiledKernelsTest 2>&1 | tee "$out/gpu-tests.log"
  local tests=${PIPESTATUS[0]}
  java --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$cp" org.sentryml.cli.SentryCli bench --gpu \
    --size 8589934592 --file /tmp/sentry-bench-8g.bin --cufile-config "$root/cufile.json" 2>&1 | tee "$out/gpu-bench.md"
  local bench=${PIPESTATUS[0]}
  echo "gpu tests exit $tests, bench exit $bench" | tee -a "$out/gpu.txt"
  [ "$tests" -eq 0 ] && [ "$bench" -eq 0 ]
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
