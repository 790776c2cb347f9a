"""spectral-norm in plain Python.

Mirrors Sources/Kernels/SpectralNorm.swift (sizes, result) and
Sources/Idiomatic/SpectralNorm.swift (algorithm): the Benchmarks Game's power
method for the largest singular value of A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1),
ten times v = AᵀA·u, u = AᵀA·v, then sqrt(u·v / v·v). Each of the four
products per iteration maps min(64, n) chunks of rows to lists and joins them;
every sum adds in the Swift order, so the norm is bit-identical.

Result: text "norm %.9f", checksum 0, values [norm]. n = 100 gives 1.274219991.
"""

from __future__ import annotations

import math

from kernels.support import chunk_range, fixed

NAME = "spectral-norm"
SIZES = {"tiny": 100, "quick": 350, "full": 3000}
ITERATIONS = 10


def validate(n):
    if not 1 <= n <= 65536:
        raise ValueError("n (an n×n matrix) must be in 1...65536")


def times_rows(lo: int, hi: int, u: list[float]) -> list[float]:
    """Rows lo..<hi of A·u."""
    out = []
    for i in range(lo, hi):
        total = 0.0
        for j, uj in enumerate(u):
            total += 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1) * uj
        out.append(total)
    return out


def transposed_times_rows(lo: int, hi: int, u: list[float]) -> list[float]:
    """Rows lo..<hi of Aᵀ·u."""
    out = []
    for i in range(lo, hi):
        total = 0.0
        for j, uj in enumerate(u):
            total += 1.0 / ((i + j) * (i + j + 1) // 2 + j + 1) * uj
        out.append(total)
    return out


def product(ex, rows, chunks, u):
    parts = ex.map(rows, [(lo, hi, u) for lo, hi in chunks])
    return [x for part in parts for x in part]


def prepare(n):
    count = min(64, n)
    return {"n": n, "chunks": [(r.start, r.stop) for r in (chunk_range(c, count, n) for c in range(count))]}


def run(state, ex):
    chunks = state["chunks"]
    u = [1.0] * state["n"]
    v = []
    for _ in range(ITERATIONS):
        v = product(ex, transposed_times_rows, chunks, product(ex, times_rows, chunks, u))
        u = product(ex, transposed_times_rows, chunks, product(ex, times_rows, chunks, v))
    vbv = 0.0
    vv = 0.0
    for ui, vi in zip(u, v):
        vbv += ui * vi
        vv += vi * vi
    return math.sqrt(vbv / vv)


def result(state, norm):
    return "norm %s" % fixed(norm, 9), 0, [norm]
