"""matmul in Numba: the plain kernel's i-k-j loops, compiled, over min(8, n)
chunks of rows of C. Every entry is an exact integer, so C equals every other
port's; the result is the NumPy port's (same text and checksum)."""

import numpy as np
from numba import njit, prange

from kernels import matmul as plain
from kernels.matmul import NAME, SIZES, validate  # noqa: F401
from numpy_kernels.matmul import result  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def rows(lo, hi, a, b, c):
    """Rows lo..<hi of A·B into c."""
    n, m = b.shape
    for i in range(lo, hi):
        for j in range(m):
            c[i, j] = 0.0
        for k in range(n):
            aik = a[i, k]
            for j in range(m):
                c[i, j] += aik * b[k, j]


def _product(a, b, chunks):
    c = np.empty((a.shape[0], b.shape[1]))
    for q in prange(chunks.shape[0]):
        rows(chunks[q, 0], chunks[q, 1], a, b, c)
    return c


_serial, _parallel = parallel_pair(_product)


def prepare(n):
    state = plain.prepare(n)
    return {"a": np.array(state["a"]), "b": np.array(state["b"]),
            "chunks": np.array(state["chunks"], dtype=np.int64)}


def run_serial(state):
    return _serial(state["a"], state["b"], state["chunks"])


def run_parallel(state):
    return _parallel(state["a"], state["b"], state["chunks"])
