"""sieve in plain Python.

Mirrors Sources/Kernels/Sieve.swift (sizes, segments, result) and
Sources/Idiomatic/Sieve.swift (algorithm): count the primes <= N with a
segmented sieve of Eratosthenes over the odd numbers. The odd base primes up to
isqrt(N) are found first (inside the timed run), then the odd numbers are cut
into segments of 65,536 (one chunk each); a segment crosses off the odd
multiples of every base prime p from max(p², first in segment) with step 2p and
counts what is left; 2 is added once.

Written as a Python programmer writes a sieve: a bytearray per segment and
slice assignment (`segment[start::p] = ...`) to cross off, `count(0)` to count.
The crossing-off loop therefore runs inside CPython's C slice code, not in
bytecode: this rung flatters CPython next to kernels whose inner loop is
Python. The numbers crossed off are exactly the Swift ones.

Result: text "primes P", checksum FNV-1a of P (little-endian 64-bit word).
"""

from __future__ import annotations

from math import isqrt

from kernels.support import fnv1a_word

NAME = "sieve"
SIZES = {"tiny": 1_000_000, "quick": 10_000_000, "full": 1_000_000_000}
SEGMENT_ODDS = 65_536


def validate(n):
    if not 2 <= n <= 10_000_000_000:
        raise ValueError("N (count primes <= N) must be in 2...10000000000")


def base_primes(limit: int) -> list[int]:
    """The odd primes 3...limit (composite[i] stands for 2i + 1)."""
    odds = (limit + 1) // 2
    composite = bytearray(odds)
    primes = []
    for i in range(1, max(odds, 1)):
        if not composite[i]:
            p = 2 * i + 1
            primes.append(p)
            start = (p * p - 1) // 2
            composite[start::p] = b"\x01" * len(range(start, odds, p))
    return primes


def count_segment(segment: int, n: int, primes: list[int]) -> int:
    """Odd primes among 2i + 1 <= n, i in segment (composite[j] is 2(first + j) + 1)."""
    first = segment * SEGMENT_ODDS
    size = min((n + 1) // 2 - first, SEGMENT_ODDS)
    low, high = 2 * first + 1, 2 * (first + size) - 1
    composite = bytearray(size)
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
        j = (start - low) // 2
        composite[j::p] = b"\x01" * len(range(j, size, p))
    return composite.count(0)


def prepare(n):
    return {"n": n}


def run(state, ex):
    n = state["n"]
    primes = base_primes(isqrt(n))
    segments = ((n + 1) // 2 + SEGMENT_ODDS - 1) // SEGMENT_ODDS
    return 1 + sum(ex.map(count_segment, [(s, n, primes) for s in range(segments)]))


def result(state, primes):
    return "primes %d" % primes, fnv1a_word(primes), []
