"""sieve in NumPy: the sieve a NumPy user writes, over the odd numbers in one
boolean array (composite[i] stands for 2i + 1; N/2 bytes, 500 MB at N = 10^9),
crossing off each odd base prime's multiples from p² with one slice assignment
(composite[p*p//2::p] = True) and counting with np.count_nonzero. One array,
not the other ports' 65,536-odd segments (a NumPy user does not segment); the
numbers crossed off are the same, so is the count.
"""

from math import isqrt

import numpy as np

from kernels.sieve import NAME, SIZES, result, validate  # noqa: F401


def prepare(n):
    return {"n": n}


def run(state, ex=None):
    n = state["n"]
    composite = np.zeros((n + 1) // 2, dtype=bool)
    composite[0] = True  # 1 is not prime
    for i in range(1, (isqrt(n) + 1) // 2):
        if not composite[i]:
            p = 2 * i + 1
            composite[p * p // 2::p] = True
    return 1 + int(composite.size - np.count_nonzero(composite))
