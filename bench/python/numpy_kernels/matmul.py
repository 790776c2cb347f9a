"""matmul in NumPy: C = A @ B (BLAS dgemm). Same entries as the plain kernel
(SplitMix64, next_below(17) - 8); every product and partial sum is an integer
well inside 2^53, so BLAS's summation order (and any FMA) gives exactly the
plain kernel's C.
"""

import numpy as np

from kernels import matmul as plain
from kernels.matmul import NAME, SIZES, validate  # noqa: F401
from kernels.support import fnv1a_bytes, hex16


def prepare(n):
    state = plain.prepare(n)
    return {"a": np.array(state["a"]), "b": np.array(state["b"])}


def run(state, ex=None):
    return state["a"] @ state["b"]


def result(state, c):
    integers = c.astype(np.int64)
    if not np.array_equal(integers, c):
        return "non-integer entry %r" % c[integers != c][0], 0, []
    digest = fnv1a_bytes(integers.astype("<i8").tobytes())
    return "sum %d · fnv1a %s" % (int(integers.sum()), hex16(digest)), digest, []
