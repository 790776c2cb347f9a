"""mandelbrot in plain Python.

Mirrors Sources/Kernels/Mandelbrot.swift (sizes, PBM md5 result) and
Sources/Idiomatic/Mandelbrot.swift (algorithm): the Benchmarks Game's n x n
escape-time bitmap over [-1.5, 0.5] x [-1, 1], a pixel set when z <- z^2 + c
stays within |z| <= 2 for 50 iterations. One row per chunk (n chunks), each
chunk returns its packed row (most significant bit first) and the rows are
joined in order. Every float operation is the Swift/C one, in the same order,
so the bitmap is bit-identical.

Result: text "in-set N · md5 HEX" (md5 of "P4\\n<n> <n>\\n" + rows), checksum =
the digest's first 8 bytes, big-endian; no values.
"""

from __future__ import annotations

import hashlib

NAME = "mandelbrot"
SIZES = {"tiny": 200, "quick": 1000, "full": 4000}


def row(n: int, y: int) -> bytes:
    """Row y of the bitmap, packed 8 pixels a byte, most significant bit first."""
    ci = 2.0 * y / n - 1.0
    packed = bytearray((n + 7) // 8)
    for x in range(n):
        cr = 2.0 * x / n - 1.5
        zr = zi = 0.0
        for _ in range(50):
            if zr * zr + zi * zi > 4.0:
                break
            zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        else:
            if zr * zr + zi * zi <= 4.0:
                packed[x >> 3] |= 0x80 >> (x & 7)
    return bytes(packed)


def prepare(n):
    return {"n": n}


def run(state, ex):
    n = state["n"]
    return b"".join(ex.map(row, [(n, y) for y in range(n)]))


def result(state, bitmap):
    n = state["n"]
    digest = hashlib.md5(b"P4\n%d %d\n" % (n, n) + bitmap).digest()
    in_set = sum(bin(byte).count("1") for byte in bitmap)
    checksum = int.from_bytes(digest[:8], "big")
    return "in-set %d · md5 %s" % (in_set, digest.hex()), checksum, []
