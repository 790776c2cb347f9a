"""fannkuch-redux in plain Python.

Mirrors Sources/Kernels/FannkuchRedux.swift (sizes, chunks, result) and
Sources/Idiomatic/FannkuchRedux.swift (algorithm): for every permutation of
0..<n in the Benchmarks Game's order (a factorial-base odometer), count the
prefix reversals that bring 0 to the front; sum the counts with + for even
permutation numbers and - for odd ones, and keep the largest. min(n!, 512)
chunks of consecutive permutation numbers; a chunk decodes its first number in
the factorial number system and walks on from there; partials add in order.

Result: text "checksum C · max flips M", checksum FNV-1a of the two integers
(little-endian 64-bit words), no values. n = 7 gives checksum 228, max flips 16.
"""

from __future__ import annotations

from math import factorial

from kernels.support import chunk_range, fnv1a_word

NAME = "fannkuch-redux"
SIZES = {"tiny": 7, "quick": 9, "full": 10}


def validate(n):
    if not 3 <= n <= 12:
        raise ValueError("n (permutations of n elements) must be in 3...12")


def flips(permutation: list[int]) -> int:
    """Prefix reversals until 0 is in front."""
    p = list(permutation)
    count = 0
    first = p[0]
    while first != 0:
        p[:first + 1] = p[first::-1]
        count += 1
        first = p[0]
    return count


def chunk(n: int, lo: int, hi: int) -> tuple[int, int]:
    """(signed flip sum, most flips) over permutations numbered lo..<hi."""
    # Decode lo: digit i says how often the prefix 0...i has been rotated left.
    permutation = list(range(n))
    counts = [0] * n
    rest = lo
    for i in range(n - 1, 0, -1):
        counts[i], rest = divmod(rest, factorial(i))
        for _ in range(counts[i]):
            permutation.insert(i, permutation.pop(0))
    checksum = 0
    most = 0
    for index in range(lo, hi):
        if index > lo:
            # Next permutation: rotate the prefix 0...1, carrying into longer prefixes.
            i = 1
            while True:
                permutation.insert(i, permutation.pop(0))
                counts[i] += 1
                if counts[i] <= i:
                    break
                counts[i] = 0
                i += 1
        f = flips(permutation)
        checksum += f if index % 2 == 0 else -f
        if f > most:
            most = f
    return checksum, most


def prepare(n):
    total = factorial(n)
    count = min(total, 512)
    return {"n": n, "chunks": [(r.start, r.stop) for r in (chunk_range(c, count, total) for c in range(count))]}


def run(state, ex):
    n = state["n"]
    partials = ex.map(chunk, [(n, lo, hi) for lo, hi in state["chunks"]])
    return sum(c for c, _ in partials), max(m for _, m in partials)


def result(state, output):
    checksum, most = output
    return ("checksum %d · max flips %d" % (checksum, most),
            fnv1a_word(most, fnv1a_word(checksum)), [])
