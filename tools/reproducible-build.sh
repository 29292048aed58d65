#!/usr/bin/env bash
# Checks that one commit builds byte-identical jars: builds twice from clean, then compares the
# SHA-256 of every jar (and every file inside a jar that differs, to say what is not reproducible).
# Jar entry times come from project.build.outputTimestamp; the native libraries and the CUDA
# fatbin are deterministic outputs of gcc and nvcc for the same sources.
#
#   tools/reproducible-build.sh        # exits 1 and lists the differing files when they differ
set -euo pipefail
SENTRY_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$SENTRY_HOME/bin/lib/launcher.sh"
sentry_find_java
sentry_find_maven
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {
  (cd "$SENTRY_HOME" && JAVA_HOME=$SENTRY_JAVA_HOME "$SENTRY_MVN" -B -q -o clean package -DskipTests >&2)
  (cd "$SENTRY_HOME" && find . -path ./.git -prune -o -path '*/target/*.jar' -not -path '*/target/lib/*' -print |
    sort | xargs sha256sum) > "$work/$1.sha256"
  mkdir -p "$work/$1"
  (cd "$SENTRY_HOME" && find . -path ./.git -prune -o -path '*/target/*.jar' -not -path '*/target/lib/*' -print |
    while read -r jar; do mkdir -p "$work/$1/$jar" && unzip -q -o "$jar" -d "$work/$1/$jar"; done)
}

echo "reproducible-build: first build ..." >&2
build first
echo "reproducible-build: second build ..." >&2
build second
if diff -u "$work/first.sha256" "$work/second.sha256"; then
  echo "reproducible-build: $(wc -l < "$work/first.sha256") jars, byte-identical in both builds"
  exit 0
fi
echo "reproducible-build: the jars differ; files that differ inside them:" >&2
diff -rq "$work/first" "$work/second" >&2 || true
exit 1
