"""spectral-norm in Numba: the plain kernel's row products, compiled; each of
the four products per iteration runs min(64, n) chunks of rows. A(i, j) is
computed on the fly as 1.0 / integer and every sum adds j = 0, 1, ... in order,
so the norm is bit-identical to the plain kernel's and the Swift ports'."""

import math

import numpy as np
from numba import njit, prange

from kernels import spectral_norm as plain
from kernels.spectral_norm import ITERATIONS, NAME, SIZES, result, validate  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def times_rows(lo, hi, u, out):
    """Rows lo..<hi of A·u into out."""
    n = u.shape[0]
    for i in range(lo, hi):
        total = 0.0
        for j in range(n):
            total += 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1) * u[j]
        out[i] = total


@njit(nogil=True)
def transposed_times_rows(lo, hi, u, out):
    """Rows lo..<hi of Aᵀ·u into out."""
    n = u.shape[0]
    for i in range(lo, hi):
        total = 0.0
        for j in range(n):
            total += 1.0 / ((i + j) * (i + j + 1) // 2 + j + 1) * u[j]
        out[i] = total


def _norm(n, chunks, iterations):
    u = np.ones(n)
    v = np.zeros(n)
    w = np.zeros(n)
    k = chunks.shape[0]
    for _ in range(iterations):
        for c in prange(k):
            times_rows(chunks[c, 0], chunks[c, 1], u, w)
        for c in prange(k):
            transposed_times_rows(chunks[c, 0], chunks[c, 1], w, v)
        for c in prange(k):
            times_rows(chunks[c, 0], chunks[c, 1], v, w)
        for c in prange(k):
            transposed_times_rows(chunks[c, 0], chunks[c, 1], w, u)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


_serial, _parallel = parallel_pair(_norm)


def prepare(n):
    state = plain.prepare(n)
    return {"n": n, "chunks": np.array(state["chunks"], dtype=np.int64)}


def run_serial(state):
    return _serial(state["n"], state["chunks"], ITERATIONS)


def run_parallel(state):
    return _parallel(state["n"], state["chunks"], ITERATIONS)
