#!/usr/bin/env python3
"""Write dp_fuzz's seed corpus: small programs of 16-byte op records.

Deterministic (fixed PRNG seeds), so the checked-in corpus can be
regenerated and reviewed: python3 test/fuzz/gen-corpus.py test/fuzz/corpus

Record format (dp_fuzz.c): byte 0 selects the operation (index into ops[]
there, modulo its size), bytes 1..15 are its parameters. Only the opcodes
below must match ops[]; parameter bytes are random except for a few
leading bytes that steer creations towards success, which helps seeds but
is not relied on by the harness.
"""
import os
import random
import sys

# First index of each operation in ops[] (test/fuzz/dp_fuzz.c).
OP = {
    "seg_create": 0, "useg_create": 1, "seg_alloc": 2, "seg_remaining": 3,
    "seg_reset": 4, "seg_destroy": 5, "pool_create": 6, "pool_destroy": 7,
    "get": 8, "put": 9, "bad_put": 10, "cache": 11, "query": 12, "bad_args": 13,
}
REC = 16


def rec(rng, op, lead=()):
    body = list(lead) + [rng.randrange(256) for _ in range(REC - 1 - len(lead))]
    return bytes([OP[op]] + body)


def seg(rng, uclib=False, big=True):
    # fault byte 10 (none), placement after the others, length class 3
    # (rest of the arena) or 1 (a few KiB), padding log random.
    op = "useg_create" if uclib else "seg_create"
    return rec(rng, op, (10, 1, 3 if big else 1, rng.randrange(8)))


def pool(rng, cache=False):
    # seg pick, fault byte 20 (none), small block size class
    lead = [rng.randrange(256), 20, rng.randrange(4), rng.randrange(64), rng.randrange(7)]
    lead += [rng.randrange(256), 0, 0, rng.randrange(256)]  # flags, initial 0, unlimited
    if cache:
        lead += [rng.randrange(256), 4, rng.randrange(16)]  # batch, cache 1..16
    return rec(rng, "pool_create", lead)


def many(rng, op, n):
    return b"".join(rec(rng, op) for _ in range(n))


def scenarios():
    s = {}
    r = random.Random(1)
    s["basic"] = seg(r) + pool(r) + many(r, "get", 20) + many(r, "query", 3) + many(r, "put", 20)
    r = random.Random(2)
    s["uclib"] = (seg(r, uclib=True) + pool(r) + many(r, "get", 12) + many(r, "bad_put", 6)
                  + many(r, "query", 4) + many(r, "put", 12) + many(r, "bad_args", 4))
    r = random.Random(3)
    s["exhaust"] = (seg(r, big=False) + pool(r) + many(r, "get", 40) + many(r, "bad_put", 4)
                    + many(r, "seg_alloc", 4) + many(r, "get", 8) + many(r, "query", 2))
    r = random.Random(4)
    s["caches"] = (seg(r) + pool(r, cache=True) + many(r, "cache", 3)
                   + b"".join(rec(r, "get", (0, 3)) + rec(r, "put", (0, 3)) for _ in range(16))
                   + many(r, "cache", 3) + many(r, "bad_put", 4))
    r = random.Random(5)
    body = seg(r) + pool(r) + pool(r)
    for _ in range(12):
        body += rec(r, "get", (0,)) + rec(r, "get", (1,)) + rec(r, "seg_alloc")
    s["interleave"] = body + many(r, "bad_put", 6) + many(r, "put", 10)
    r = random.Random(6)
    s["lifecycle"] = (seg(r) + many(r, "seg_alloc", 3) + rec(r, "seg_remaining")
                      + rec(r, "seg_reset") + pool(r) + rec(r, "seg_reset") + rec(r, "seg_destroy")
                      + many(r, "get", 5) + rec(r, "pool_destroy") + rec(r, "seg_reset")
                      + many(r, "seg_alloc", 2) + rec(r, "seg_destroy"))
    r = random.Random(7)
    s["segments"] = (seg(r, big=False) + seg(r, uclib=True, big=False) + many(r, "seg_create", 3)
                     + many(r, "useg_create", 2) + many(r, "seg_alloc", 12)
                     + many(r, "seg_remaining", 6) + many(r, "bad_args", 4))
    names = list(OP)
    for i in range(17):
        r = random.Random(100 + i)
        body = seg(r, uclib=i % 4 == 3) + pool(r, cache=i % 2 == 0)
        for _ in range(r.randrange(16, 96)):
            body += rec(r, r.choice(names + ["get", "put"] * 3))
        s["random-%02d" % i] = body
    return s


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(scenarios().items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "test/fuzz/corpus"))
