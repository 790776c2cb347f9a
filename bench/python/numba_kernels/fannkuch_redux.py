"""fannkuch-redux in Numba: the plain kernel's odometer walk and prefix
reversals on int64 arrays, compiled; min(n!, 512) chunks of consecutive
permutation numbers, partial sums added and maxima taken in chunk order."""

from math import factorial

import numpy as np
from numba import njit, prange

from kernels import fannkuch_redux as plain
from kernels.fannkuch_redux import NAME, SIZES, result, validate  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def rotate(permutation, i):
    """Rotate the prefix 0...i left by one (the plain kernel's insert(i, pop(0)))."""
    first = permutation[0]
    for k in range(i):
        permutation[k] = permutation[k + 1]
    permutation[i] = first


@njit(nogil=True)
def flips(permutation, scratch):
    """Prefix reversals until 0 is in front."""
    scratch[:] = permutation
    count = 0
    first = scratch[0]
    while first != 0:
        lo = 0
        hi = first
        while lo < hi:
            scratch[lo], scratch[hi] = scratch[hi], scratch[lo]
            lo += 1
            hi -= 1
        count += 1
        first = scratch[0]
    return count


@njit(nogil=True)
def chunk(n, lo, hi, factorials):
    """(signed flip sum, most flips) over permutations numbered lo..<hi."""
    permutation = np.arange(n)
    scratch = np.empty(n, dtype=np.int64)
    counts = np.zeros(n, dtype=np.int64)
    rest = lo
    for i in range(n - 1, 0, -1):
        counts[i] = rest // factorials[i]
        rest = rest % factorials[i]
        for _ in range(counts[i]):
            rotate(permutation, i)
    checksum = 0
    most = 0
    for index in range(lo, hi):
        if index > lo:
            i = 1
            while True:
                rotate(permutation, i)
                counts[i] += 1
                if counts[i] <= i:
                    break
                counts[i] = 0
                i += 1
        f = flips(permutation, scratch)
        checksum += f if index % 2 == 0 else -f
        if f > most:
            most = f
    return checksum, most


def _all_chunks(n, chunks, factorials):
    k = chunks.shape[0]
    sums = np.zeros(k, dtype=np.int64)
    mosts = np.zeros(k, dtype=np.int64)
    for c in prange(k):
        s, m = chunk(n, chunks[c, 0], chunks[c, 1], factorials)
        sums[c] = s
        mosts[c] = m
    return sums.sum(), mosts.max()


_serial, _parallel = parallel_pair(_all_chunks)


def prepare(n):
    state = plain.prepare(n)
    state["array"] = np.array(state["chunks"], dtype=np.int64)
    state["factorials"] = np.array([factorial(i) for i in range(n + 1)], dtype=np.int64)
    return state


def _finish(pair):
    return int(pair[0]), int(pair[1])


def run_serial(state):
    return _finish(_serial(state["n"], state["array"], state["factorials"]))


def run_parallel(state):
    return _finish(_parallel(state["n"], state["array"], state["factorials"]))


def run_chunks(state, ex):
    n, factorials = state["n"], state["factorials"]
    partials = ex.map(chunk, [(n, lo, hi, factorials) for lo, hi in state["chunks"]])
    return sum(c for c, _ in partials), max(m for _, m in partials)
