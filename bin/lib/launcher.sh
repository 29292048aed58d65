# Shared by the bin/ launchers: finds a JDK 21+, builds the jars when missing or stale, runs them.
# Sourced, not executed. Expects SENTRY_HOME to be set by the caller.

sentry_die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

# Prints the feature version (e.g. 25) of the Java home in $1, or nothing.
sentry_java_version() {
  local home=$1 version
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${version:-}" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "${version:-}"
}

# Sets SENTRY_JAVA_HOME to a JDK 21 or newer: JAVA_HOME first, then the usual install folders.
sentry_find_java() {
  local candidate version best="" best_version=0
  if [ -n "${JAVA_HOME:-}" ]; then
    version=$(sentry_java_version "$JAVA_HOME")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then
      SENTRY_JAVA_HOME=$JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/java/* "$HOME"/.sdkman/candidates/java/* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -d "$candidate" ] || continue
    version=$(sentry_java_version "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best=$candidate
      best_version=$version
    fi
  done
  if [ -z "$best" ]; then
    sentry_die "no Java 21 or newer found (looked at JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}, /usr/lib/jvm, /opt/java and the java on PATH); install a JDK 21+ (e.g. Temurin 25) or set JAVA_HOME"
  fi
  SENTRY_JAVA_HOME=$best
}

# Maven is the repository's own wrapper (./mvnw, Maven 3.9.11, fetched once from Maven Central into
# ~/.m2/wrapper and checked against its SHA-256): the same Maven on every machine, and nothing to
# install. SENTRY_MVN names another Maven to use instead.
sentry_find_maven() {
  SENTRY_MVN=${SENTRY_MVN:-$SENTRY_HOME/mvnw}
  [ -x "$SENTRY_MVN" ] || sentry_die "$SENTRY_MVN is not executable"
}

# Builds the jars when $1 (a jar) is missing or older than any source or pom.
sentry_ensure_built() {
  local jar=$1 stale=""
  if [ -f "$jar" ]; then
    # .git and the build folders hold no sources; skipping them halves the walk (a start-up cost).
    stale=$(find "$SENTRY_HOME" \( -path "$SENTRY_HOME/.git" -o -path "$SENTRY_HOME/*/target" \) -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit 2>/dev/null)
    [ -z "$stale" ] && return 0
  fi
  [ -x "$SENTRY_JAVA_HOME/bin/javac" ] || sentry_die "$SENTRY_JAVA_HOME is a JRE; building Sentry needs a JDK 21+"
  sentry_find_maven
  echo "$(basename "$0"): building Sentry (./mvnw package) ..." >&2
  (cd "$SENTRY_HOME" && JAVA_HOME=$SENTRY_JAVA_HOME "$SENTRY_MVN" -q -B -DskipTests package >&2) \
    || sentry_die "the build failed; run './mvnw -B package' in $SENTRY_HOME to see why"
  rm -f "${jar%.jar}.jsa"
}

SENTRY_JVM_FLAGS=(-XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED)

# protobuf-java (through sigstore-java) still uses sun.misc.Unsafe; JDK 24+ warns on every run
# unless told that this use is expected.
sentry_jvm_flags() {
  if [ "$(sentry_java_version "$SENTRY_JAVA_HOME")" -ge 24 ]; then
    SENTRY_JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
  fi
}

# Records a class-data-sharing archive for the jar in $1 by running the everyday commands (keygen,
# hash, sign, re-sign, verify) once on a copy of the tiny example model, so that later starts map
# their classes instead of loading and verifying them (org.sentryml.cli.StartupTraining says why).
sentry_train_cds() {
  local jar=$1 archive=${1%.jar}.jsa
  "$SENTRY_JAVA_HOME/bin/java" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
    "${SENTRY_JVM_FLAGS[@]}" -cp "$jar" org.sentryml.cli.StartupTraining "$SENTRY_HOME/examples/tiny-model" \
    >/dev/null 2>&1 || rm -f "$archive"
}

# Resource names are UTF-8 (OpenSSF Model Signing), and the JVM decodes file names with the
# locale's character set: under a non-UTF-8 locale (LANG=C) it could not even list a file named
# "über.bin". Run it under C.UTF-8 then; a UTF-8 locale of the user's is kept as it is.
sentry_utf8_file_names() {
  case "$(locale charmap 2>/dev/null)" in
    UTF-8 | utf8) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac
}

# Runs the jar in $1 with the remaining arguments, mapping its class-data-sharing archive (the
# JVM rebuilds it on exit when it no longer matches, e.g. after a JDK update).
sentry_run_jar() {
  local jar=$1
  shift
  sentry_jvm_flags
  # An archive older than its jar no longer matches it, and the JVM does not always replace such an
  # archive itself; a stale one would cost every start its benefit.
  if [ -f "${jar%.jar}.jsa" ] && [ "$jar" -nt "${jar%.jar}.jsa" ]; then
    rm -f "${jar%.jar}.jsa"
  fi
  # Only the sentry CLI has a cheap typical command to train on; the agents' archives are made at
  # the end of their first run (AutoCreateSharedArchive).
  if [ "$(basename "$jar")" = sentry-cli.jar ] && [ ! -f "${jar%.jar}.jsa" ]; then
    sentry_train_cds "$jar"
  fi
  export SENTRY_HOME
  sentry_utf8_file_names
  exec "$SENTRY_JAVA_HOME/bin/java" \
    -XX:SharedArchiveFile="${jar%.jar}.jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off \
    "${SENTRY_JVM_FLAGS[@]}" ${SENTRY_JAVA_OPTS:-} -jar "$jar" "$@"
}
