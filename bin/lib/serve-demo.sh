# shellcheck shell=bash
# The --serve ending of bin/sentry-demo (sourced; runs in WORKDIR with $bin and $SENTRY_HOME set):
# a throwaway CA, server and client certificate (openssl, EC P-256, one day), the server on a free
# loopback port, five test images from the first shard posted by bin/lib/ServeDemoClient.java, then
# SIGTERM and a wait for the server to close. The arguments are the inferencer's key source (none,
# --key-store DIR or --key-cache SOCKET): the server decrypts an encrypted model with it, and the
# client reads the test images of an encrypted shard through it, in memory.
sentry_serve_demo() {
  . "$SENTRY_HOME/bin/lib/launcher.sh"
  sentry_find_java
  command -v openssl >/dev/null || { echo "sentry-demo: --serve needs openssl for the test certificates" >&2; return 4; }
  mkdir -p tls
  chmod 700 tls
  if [ ! -f tls/client-ca.pem ]; then
    (
      cd tls
      umask 077
      run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
        -subj "/CN=sentry demo CA" -keyout ca-key.pem -out client-ca.pem 2>/dev/null
      for who in server client; do
        run openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
          -subj "/CN=sentry demo $who" -keyout "$who-key.pem" -out "$who.csr" 2>/dev/null
        usage=serverAuth; [ "$who" = client ] && usage=clientAuth
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=%s\nbasicConstraints=critical,CA:FALSE\n' "$usage" > "$who.ext"
        run openssl x509 -req -in "$who.csr" -CA client-ca.pem -CAkey ca-key.pem -CAcreateserial \
          -days 1 -extfile "$who.ext" -out "$who.pem" 2>/dev/null
      done
    )
  fi
  "$bin/sentry-inferencer" serve --sig_path ./signatures --model_path ./models --listen 127.0.0.1:0 \
    --tls-cert tls/server.pem --tls-key tls/server-key.pem --client-ca tls/client-ca.pem --quiet "$@" \
    private-key --public_key keys/public.pem > serve.log 2> serve.err &
  local pid=$! url="" tries=0
  echo "+ $bin/sentry-inferencer serve ... (pid $pid, log serve.log)" >&2
  while [ -z "$url" ] && kill -0 "$pid" 2>/dev/null && [ $tries -lt 600 ]; do
    sleep 0.2
    tries=$((tries + 1))
    url=$(grep -o 'https://[^/]*/' serve.log | head -1 || true)
  done
  if [ -z "$url" ]; then
    echo "sentry-demo: the server did not start:" >&2
    cat serve.log serve.err >&2
    kill "$pid" 2>/dev/null || true
    return 1
  fi
  cat serve.log >&2
  local status=0
  sentry_jvm_flags
  run "$SENTRY_JAVA_HOME/bin/java" "${SENTRY_JVM_FLAGS[@]}" \
    -cp "$SENTRY_HOME/agent-inferencer/target/sentry-inferencer.jar" "$SENTRY_HOME/bin/lib/ServeDemoClient.java" \
    "$url" tls/client-ca.pem tls/client.pem tls/client-key.pem dataset/mnist-subset 5 "$@" || status=$?
  kill -TERM "$pid"
  wait "$pid" || true
  echo "sentry-demo: server stopped" >&2
  return $status
}
