#!/usr/bin/env bash
# Regenerates the seed corpora of the Jazzer fuzz targets (<module>/src/test/resources/
# <package>/<Class>Inputs/<method>/seed-*) from Sentry's own outputs: a one-epoch run of the demo
# (its bundles, statements, shards, index and manifest, keys), signatures of the example model by
# every method, certificates made with openssl, and small hand-made safetensors files, tar shards
# and Hub answers. Seeds only guide the fuzzer to the interesting inputs quickly; none is a test
# vector, and the suite replays them (plus any crash-* file a fuzz run found) in regression mode.
#
#   tools/fuzz-seeds.sh        # needs python3 and openssl; takes about two minutes
set -euo pipefail
SENTRY_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
res=$SENTRY_HOME
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$SENTRY_HOME/bin/sentry-demo" --workdir "$work/demo" --sources 2 --epochs 1 >/dev/null 2>&1
demo=$work/demo
model=$SENTRY_HOME/examples/tiny-model
for method in files shards merkle lattice; do
  "$SENTRY_HOME/bin/sentry" sign "$model" --method "$method" --signature "$work/$method.sig" \
    private-key --private_key "$demo/keys/private.pem" >/dev/null 2>&1
  "$SENTRY_HOME/bin/sentry" sign "$model" --method "$method" --signature "$work/$method.statement" skip >/dev/null 2>&1
done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=seed -days 1 \
  -keyout "$work/cert-key.pem" -out "$work/cert.pem" 2>/dev/null
openssl pkcs8 -topk8 -in "$work/cert-key.pem" -passout pass:fuzz -out "$work/encrypted-key.pem"
openssl ec -in "$work/cert-key.pem" -out "$work/sec1-key.pem" 2>/dev/null

python3 - "$res" "$work" "$demo" <<'PY'
import base64, io, json, os, shutil, struct, sys, tarfile
res, work, demo = sys.argv[1:4]

def seeds(target, files):
    folder = os.path.join(res, target)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.startswith("seed-"):
                os.remove(os.path.join(folder, name))
    os.makedirs(folder, exist_ok=True)
    for i, data in enumerate(files):
        with open(os.path.join(folder, "seed-%02d" % i), "wb") as out:
            out.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

def payload(bundle):
    return base64.b64decode(json.loads(bundle)["dsseEnvelope"]["payload"])

sigs = os.path.join(demo, "signatures")
bundles = [read(os.path.join(work, m + ".sig")) for m in ("files", "shards", "merkle", "lattice")]
dataset_sigs = sorted(f for f in os.listdir(sigs) if f.startswith("dataset_"))
seeds("sentry-core/src/test/resources/org/sentryml/core/attestation/SignedDocumentsFuzzTestInputs/bundleIsParsedOrRefused", bundles)
model_statements = [read(os.path.join(work, m + ".statement")) for m in ("files", "shards", "merkle", "lattice")]
seeds("sentry-core/src/test/resources/org/sentryml/core/attestation/SignedDocumentsFuzzTestInputs/modelStatementIsDecodedOrRefused", model_statements)
seeds("sentry-core/src/test/resources/org/sentryml/core/attestation/SignedDocumentsFuzzTestInputs/inTotoStatementIsParsedOrRefused", model_statements[:2])
seeds("sentry-core/src/test/resources/org/sentryml/core/attestation/SignedDocumentsFuzzTestInputs/datasetStatementIsDecodedOrRefused",
      [payload(read(os.path.join(sigs, dataset_sigs[0])))])
seeds("sentry-core/src/test/resources/org/sentryml/core/attestation/SignedDocumentsFuzzTestInputs/provenanceIsDecodedOrRefused",
      [payload(read(os.path.join(sigs, "provenance.sig")))])

seeds("sentry-core/src/test/resources/org/sentryml/core/signing/PemFilesFuzzTestInputs/privateKeyIsReadOrRefused",
      [read(os.path.join(demo, "keys/private.pem")), read(os.path.join(work, "sec1-key.pem")),
       read(os.path.join(work, "encrypted-key.pem"))])
seeds("sentry-core/src/test/resources/org/sentryml/core/signing/PemFilesFuzzTestInputs/publicKeyIsReadOrRefusedAlikeByBothReaders",
      [read(os.path.join(demo, "keys/public.pem"))])
seeds("sentry-core/src/test/resources/org/sentryml/core/signing/PemFilesFuzzTestInputs/certificatesAreReadOrRefused", [read(os.path.join(work, "cert.pem"))])

def safetensors(tensors, metadata=None):
    header, offset, data = {}, 0, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data
seeds("sentry-core/src/test/resources/org/sentryml/core/manifest/SafetensorsHeaderFuzzTestInputs/headerIsAcceptedOnlyWhenItCoversTheFile", [
    safetensors([("w", "F32", [2, 2], bytes(16)), ("b", "F16", [3], bytes(6))], {"format": "pt"}),
    safetensors([("empty", "BF16", [0], b""), ("x", "F4", [4], bytes(2))]),
    safetensors([("i", "I64", [1], bytes(8))])])

def shard(samples):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for key, data, label in samples:
            for suffix, content in ((".png", data), (".cls", label)):
                info = tarfile.TarInfo(key + suffix)
                info.size, info.mtime, info.mode = len(content), 0, 0o644
                tar.addfile(info, io.BytesIO(content))
    return out.getvalue()
dataset = os.path.join(demo, "dataset/mnist-subset")
seeds("sentry-data/src/test/resources/org/sentryml/data/dataset/DatasetFilesFuzzTestInputs/shardIsReadToItsEndOrRefused", [
    shard([("train/00000000", b"\x89PNG fake", b"7"), ("test/00000001", b"\x89PNG", b"0")]),
    shard([("train/00000002", b"text sample", b"1")])])
seeds("sentry-data/src/test/resources/org/sentryml/data/dataset/DatasetFilesFuzzTestInputs/indexIsReadOrRefused", [read(os.path.join(dataset, "index.json"))])
seeds("sentry-data/src/test/resources/org/sentryml/data/dataset/DatasetFilesFuzzTestInputs/manifestIsReadOrRefused", [read(os.path.join(dataset, "manifest.json"))])

commit = "0123456789abcdef0123456789abcdef01234567"
seeds("sentry-data/src/test/resources/org/sentryml/data/hub/HubAnswersFuzzTestInputs/revisionIsReadOrRefused",
      [json.dumps({"id": "org/name", "sha": commit}).encode()])
seeds("sentry-data/src/test/resources/org/sentryml/data/hub/HubAnswersFuzzTestInputs/treeListingIsReadOrRefused", [json.dumps([
    {"type": "directory", "oid": "ab" * 20, "path": "mnist", "size": 0},
    {"type": "file", "oid": "cd" * 20, "path": "mnist/train-00000-of-00001.parquet", "size": 1234,
     "lfs": {"oid": "ef" * 32, "size": 1234, "pointerSize": 134}},
    {"type": "file", "oid": "12" * 20, "path": "README.md", "size": 99}]).encode()])
PY
echo "fuzz seeds written under */src/test/resources" >&2
