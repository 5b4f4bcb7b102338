#!/usr/bin/env python3
"""Makes seed inputs for fuzz_cache from a real cache directory.

    python3 tests/fuzz/mkcache.py CACHEDIR OUTDIR

For each feed in CACHEDIR/index, writes OUTDIR/feedN: an index that holds
that feed's F and P lines re-keyed to the first URL fuzz_cache.c knows,
a NUL, the feed's body file, a NUL and a read state marking its first post
read.  util_hash below is the hash of src/util.c (feed keys are
util_hash(url)), so the fuzzer starts from indexes whose keys match."""
import os
import sys

M = (1 << 64) - 1
SEED = 0xcbf29ce484222325


def util_hash(data, seed=SEED):
    h = seed ^ ((len(data) * 0x9e3779b97f4a7c15) & M)
    i = 0
    while len(data) - i >= 8:
        w = int.from_bytes(data[i:i + 8], "little")
        h = ((h ^ ((w * 0xff51afd7ed558ccd) & M)) * 0xc4ceb9fe1a85ec53) & M
        h ^= h >> 29
        i += 8
    for b in data[i:]:
        h = ((h ^ b) * 0x100000001b3) & M
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & M
    h ^= h >> 33
    return h


FUZZ_URLS = [b"https://example.org/send/latest-news",
             b"https://example.org/news/feed.rss"]


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    lines = open(os.path.join(src, "index"), "rb").read().split(b"\n")
    head = [l for l in lines if l.startswith(b"sendnews-index") or l.startswith(b"rules")]
    feeds = [l.split(b"\t") for l in lines if l.startswith(b"F\t")]
    for n, f in enumerate(feeds):
        key, gen = f[1], f[2]
        new = b"%016x" % util_hash(FUZZ_URLS[n % 2])
        mine = [l.replace(key, new, 1) for l in lines
                if l.startswith(b"F\t" + key) or l.startswith(b"P\t" + key)]
        body = open(os.path.join(src, "bodies", (key + b"-" + gen).decode()), "rb").read()
        first = [l.split(b"\t")[2] for l in mine if l.startswith(b"P")][:1]
        state = b"".join(i + b" 1234abcd\n" for i in first)
        data = b"\n".join(head + mine + [b"end\t1", b""]) + b"\0" + body + b"\0" + state
        open(os.path.join(out, "feed%d" % n), "wb").write(data)


main()
