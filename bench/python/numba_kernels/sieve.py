"""sieve in Numba: the plain kernel's segmented sieve over the odd numbers,
compiled: base primes up to isqrt(N) (in the timed run), then one chunk per
segment of 65,536 odd numbers, each crossing off in a zeroed byte array of its
own and counting what is left; 2 is added once."""

from math import isqrt

import numpy as np
from numba import njit, prange

from kernels.sieve import NAME, SEGMENT_ODDS, SIZES, prepare, result, validate  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def base_primes(limit):
    """The odd primes 3...limit (composite[i] stands for 2i + 1)."""
    odds = (limit + 1) // 2
    composite = np.zeros(max(odds, 1), dtype=np.uint8)
    count = 0
    for i in range(1, odds):
        if composite[i] == 0:
            p = 2 * i + 1
            count += 1
            for k in range((p * p - 1) // 2, odds, p):
                composite[k] = 1
    primes = np.empty(count, dtype=np.int64)
    count = 0
    for i in range(1, odds):
        if composite[i] == 0:
            primes[count] = 2 * i + 1
            count += 1
    return primes


@njit(nogil=True)
def count_segment(segment, n, primes):
    """Odd primes among 2i + 1 <= n, i in segment (composite[j] is 2(first + j) + 1)."""
    first = segment * SEGMENT_ODDS
    size = min((n + 1) // 2 - first, SEGMENT_ODDS)
    low = 2 * first + 1
    high = 2 * (first + size) - 1
    composite = np.zeros(size, dtype=np.uint8)
    if segment == 0:
        composite[0] = 1  # 1 is not prime
    for p in primes:
        if p * p > high:
            break
        start = p * p
        if start < low:
            start = low + (p - low % p) % p
            if start % 2 == 0:
                start += p
        for j in range((start - low) // 2, size, p):
            composite[j] = 1
    left = 0
    for j in range(size):
        if composite[j] == 0:
            left += 1
    return left


def _count(n, root):
    primes = base_primes(root)
    segments = ((n + 1) // 2 + SEGMENT_ODDS - 1) // SEGMENT_ODDS
    counts = np.zeros(segments, dtype=np.int64)
    for s in prange(segments):
        counts[s] = count_segment(s, n, primes)
    return 1 + counts.sum()


_serial, _parallel = parallel_pair(_count)


def run_serial(state):
    return int(_serial(state["n"], isqrt(state["n"])))


def run_parallel(state):
    return int(_parallel(state["n"], isqrt(state["n"])))


def run_chunks(state, ex):
    n = state["n"]
    primes = base_primes(isqrt(n))
    segments = ((n + 1) // 2 + SEGMENT_ODDS - 1) // SEGMENT_ODDS
    return 1 + sum(ex.map(count_segment, [(s, n, primes) for s in range(segments)]))
