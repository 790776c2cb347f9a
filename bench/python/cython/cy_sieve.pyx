# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""sieve in Cython: kernels/sieve.py's segmented sieve of Eratosthenes over the
odd numbers with typed C loops: one byte per odd number in a 65,536-byte
segment (the idiomatic Swift flavour's representation), crossing off with a
strided C loop. Same base primes, same segments (one chunk each), same count.
Serially the segments are counted in order at C level; other executors get
them through ex.map."""

from array import array
from math import isqrt

from kernels.sieve import NAME, SIZES, SEGMENT_ODDS, validate, prepare, result  # noqa: F401
from kernels.support import SerialExecutor

from libc.stdlib cimport calloc, free
from libc.string cimport memset

# The Python module's segment size as a C constant, so the nogil loop can use it.
cdef Py_ssize_t SEGMENT = SEGMENT_ODDS


def base_primes(Py_ssize_t limit):
    """The odd primes 3...limit, as array('q')."""
    cdef Py_ssize_t odds = (limit + 1) // 2, i, j, p
    cdef bytearray composite = bytearray(max(odds, 1))
    cdef unsigned char *c = <unsigned char *><char *>composite
    primes = array("q")
    for i in range(1, max(odds, 1)):
        if not c[i]:
            p = 2 * i + 1
            primes.append(p)
            j = (p * p - 1) // 2
            while j < odds:
                c[j] = 1
                j += p
    return primes


cdef Py_ssize_t count_c(Py_ssize_t segment, Py_ssize_t n, const long long *primes, Py_ssize_t count,
                        unsigned char *composite) noexcept nogil:
    cdef Py_ssize_t first = segment * SEGMENT
    cdef Py_ssize_t size = min((n + 1) // 2 - first, SEGMENT)
    cdef Py_ssize_t low = 2 * first + 1, high = 2 * (first + size) - 1
    cdef Py_ssize_t k, p, start, j, left = 0
    memset(composite, 0, size)
    if segment == 0:
        composite[0] = 1  # 1 is not prime
    for k in range(count):
        p = primes[k]
        if p * p > high:
            break
        start = p * p
        if start < low:
            start = low + (p - low % p) % p
            if start % 2 == 0:
                start += p
        j = (start - low) // 2
        while j < size:
            composite[j] = 1
            j += p
    for j in range(size):
        if not composite[j]:
            left += 1
    return left


def count_segment(Py_ssize_t segment, Py_ssize_t n, const long long[::1] primes):
    """One chunk for ex.map: the odd primes in `segment`."""
    cdef unsigned char *scratch = <unsigned char *>calloc(SEGMENT_ODDS, 1)
    if scratch == NULL:
        raise MemoryError()
    cdef const long long *first = &primes[0] if primes.shape[0] else NULL
    cdef Py_ssize_t count = primes.shape[0], left
    try:
        with nogil:  # threads run segments in parallel
            left = count_c(segment, n, first, count, scratch)
        return left
    finally:
        free(scratch)


def run(state, ex):
    cdef Py_ssize_t n = state["n"], s, total = 1
    primes = base_primes(isqrt(n))
    cdef Py_ssize_t segments = ((n + 1) // 2 + SEGMENT_ODDS - 1) // SEGMENT_ODDS
    cdef const long long[::1] p = primes if len(primes) else array("q", [0])
    cdef unsigned char *scratch
    if not isinstance(ex, SerialExecutor):
        return 1 + sum(ex.map(count_segment, [(s, n, primes) for s in range(segments)]))
    scratch = <unsigned char *>calloc(SEGMENT_ODDS, 1)
    if scratch == NULL:
        raise MemoryError()
    try:
        for s in range(segments):
            total += count_c(s, n, &p[0], len(primes), scratch)
    finally:
        free(scratch)
    return total
