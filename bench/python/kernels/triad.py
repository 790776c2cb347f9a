"""triad in plain Python.

Mirrors Sources/Kernels/Triad.swift (input, repetitions, result) and
Sources/Idiomatic/Triad.swift (algorithm): STREAM's a[i] = b[i] + 3·c[i] over
n doubles, b[i] = i % 1000, c[i] = i % 7, repeated max(1, (n >> 23)²) times;
64 equal index ranges per repetition, each mapped to a fresh piece and copied
into a in chunk order. The arrays are array('d') (8 bytes an element, like
Swift's [Double]); a list of floats would take four times the memory.

Result: text "sum S · weighted 0x… · n N × R reps", checksum FNV-1a of n, the
sum and the weighted sum Σ (i+1)·a[i] (mod 2^64).
"""

from __future__ import annotations

from array import array

from kernels.support import M64, chunk_range, fnv1a_word, hex16

NAME = "triad"
SIZES = {"tiny": 4096, "quick": 1 << 23, "full": 1 << 25}
SCALAR = 3.0
CHUNKS = 64


def validate(n):
    if not 64 <= n <= 1 << 27:
        raise ValueError("n (doubles per array) must be in 64...134217728")


def repetitions(n):
    blocks = n >> 23
    return max(1, blocks * blocks)


def piece(lo: int, hi: int, b: "array[float]", c: "array[float]", s: float) -> "array[float]":
    return array("d", [bj + s * cj for bj, cj in zip(b[lo:hi], c[lo:hi])])


def prepare(n):
    b = array("d", [float(i % 1000) for i in range(n)])
    c = array("d", [float(i % 7) for i in range(n)])
    chunks = [(r.start, r.stop) for r in (chunk_range(i, CHUNKS, n) for i in range(CHUNKS))]
    return {"n": n, "a": array("d", bytes(8 * n)), "b": b, "c": c, "chunks": chunks}


def run(state, ex):
    a, b, c = state["a"], state["b"], state["c"]
    chunks = state["chunks"]
    for _ in range(repetitions(state["n"])):
        pieces = ex.map(piece, [(lo, hi, b, c, SCALAR) for lo, hi in chunks])
        for (lo, hi), part in zip(chunks, pieces):
            a[lo:hi] = part
    return a


def result(state, a):
    n = state["n"]
    total = 0.0
    weighted = 0
    for i, value in enumerate(a):
        total += value
        weighted = (weighted + (i + 1) * int(value)) & M64
    digest = fnv1a_word(weighted, fnv1a_word(int(total), fnv1a_word(n)))
    text = "sum %d · weighted %s · n %d × %d reps" % (int(total), hex16(weighted), n, repetitions(n))
    return text, digest, []
