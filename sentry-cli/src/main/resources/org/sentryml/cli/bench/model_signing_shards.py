#!/usr/bin/env python3
"""The model_signing "shards" hashing of one file, as a reference for `sentry bench`.

Written for Sentry (model_signing itself is not needed): like model_signing's sharded file
serialization, the file is cut into 1 GB shards (1_000_000_000 bytes), each shard is hashed with
hashlib's SHA-256 reading 1 MiB chunks, shards are hashed on a pool of two threads (hashlib
releases the GIL for large updates), and the digests are combined into one SHA-256 root over the
shard digests in order. Prints the root in hex.

Usage: model_signing_shards.py FILE [SHARD_BYTES] [THREADS]
"""
import concurrent.futures
import hashlib
import os
import sys

CHUNK = 1 << 20


def hash_shard(path, start, end):
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        f.seek(start)
        remaining = end - start
        while remaining > 0:
            chunk = f.read(min(CHUNK, remaining))
            if not chunk:
                raise OSError(f"{path} became shorter while it was being hashed")
            digest.update(chunk)
            remaining -= len(chunk)
    return digest.digest()


def main():
    path = sys.argv[1]
    shard = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000_000
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    size = os.path.getsize(path)
    shards = [(s, min(s + shard, size)) for s in range(0, size, shard)] or [(0, 0)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        digests = list(pool.map(lambda r: hash_shard(path, r[0], r[1]), shards))
    print(hashlib.sha256(b"".join(digests)).hexdigest())


if __name__ == "__main__":
    main()
