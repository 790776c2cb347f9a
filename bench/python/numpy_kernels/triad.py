"""triad in NumPy: a = b + s*c, as written, once per repetition (a fresh array
each time, as the expression allocates). b[i] = i % 1000 and c[i] = i % 7 as
float64 arrays; every value is a small integer, so the result is exact. The
result (never timed) is computed with NumPy too: the float sum is exact in any
order, and Σ (i+1)·a[i] wraps mod 2^64 in uint64 as the Swift one does.
"""

import numpy as np

from kernels.support import fnv1a_word, hex16
from kernels.triad import NAME, SCALAR, SIZES, repetitions, validate  # noqa: F401


def prepare(n):
    i = np.arange(n)
    return {"n": n, "b": (i % 1000).astype(np.float64), "c": (i % 7).astype(np.float64)}


def run(state, ex=None):
    b, c = state["b"], state["c"]
    a = None
    for _ in range(repetitions(state["n"])):
        a = b + SCALAR * c
    return a


def result(state, a):
    n = state["n"]
    total = int(a.sum())
    weighted = int((np.arange(1, n + 1, dtype=np.uint64) * a.astype(np.uint64)).sum(dtype=np.uint64))
    digest = fnv1a_word(weighted, fnv1a_word(total, fnv1a_word(n)))
    return "sum %d · weighted %s · n %d × %d reps" % (total, hex16(weighted), n, repetitions(n)), digest, []
