#!/usr/bin/env bash
# The trainer's epoch on the encrypted MNIST subset next to the same epoch in clear, measured in
# one run: both datasets are prepared from the embedded subset (same split), then the trainer runs
# one epoch on each, alternating, PAIRS times; prints every epoch's seconds (as the trainer
# reports them: streaming, decrypting, hashing and training) and the ratio of the medians.
#
#   tools/encrypted-epoch-bench.sh [PAIRS]   (default 3)
set -euo pipefail
SENTRY_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
pairs=${1:-3}
bin=$SENTRY_HOME/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin/sentry" keygen --out keys >/dev/null
"$bin/sentry" keys init --store store >/dev/null 2>&1
for kind in clear encrypted; do
  extra=()
  [ "$kind" = encrypted ] && extra=(--encrypt --key-store store)
  "$bin/sentry-dataset" sentryml/mnist-subset 8 1.0 "dataset-$kind" -q \
    --hub-mirror "$SENTRY_HOME/examples/hub" --cache-dir ./hf-cache "${extra[@]}" >/dev/null
done
epoch() {
  local kind=$1 extra=()
  [ "$kind" = encrypted ] && extra=(--key-store store)
  "$bin/sentry-trainer" --sig_out "sig-$kind" --model_path "model-$kind" --dataset "dataset-$kind" \
    --epochs 1 --json -q "${extra[@]}" private-key --private_key keys/private.pem \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["epochs"][0]["seconds"])'
}
clear=() encrypted=()
for i in $(seq "$pairs"); do
  clear+=("$(epoch clear)")
  encrypted+=("$(epoch encrypted)")
  echo "pair $i: clear ${clear[-1]} s, encrypted ${encrypted[-1]} s" >&2
done
python3 - "${clear[*]}" "${encrypted[*]}" <<'PY'
import statistics, sys
clear = [float(x) for x in sys.argv[1].split()]
enc = [float(x) for x in sys.argv[2].split()]
c, e = statistics.median(clear), statistics.median(enc)
print(f"| epoch, clear dataset | {c:.2f} s (median of {len(clear)}) | 1.00 |")
print(f"| epoch, encrypted dataset | {e:.2f} s (median of {len(enc)}) | {e / c:.3f} |")
PY
