"""triad in Numba: a[i] = b[i] + s·c[i], compiled, over the plain kernel's 64
index ranges, repeated as it is; written in place into one array. Exact (small
integers); the result is the NumPy port's."""

import numpy as np
from numba import njit, prange

from kernels.triad import CHUNKS, NAME, SCALAR, SIZES, repetitions, validate  # noqa: F401
from kernels.support import chunk_range
from numpy_kernels import triad as numpy_triad
from numpy_kernels.triad import result  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def piece(lo, hi, a, b, c, s):
    for i in range(lo, hi):
        a[i] = b[i] + s * c[i]


def _triad(a, b, c, s, chunks, reps):
    for _ in range(reps):
        for q in prange(chunks.shape[0]):
            piece(chunks[q, 0], chunks[q, 1], a, b, c, s)
    return a


_serial, _parallel = parallel_pair(_triad)


def prepare(n):
    state = numpy_triad.prepare(n)
    state["a"] = np.zeros(n)
    state["chunks"] = np.array([(r.start, r.stop) for r in (chunk_range(i, CHUNKS, n) for i in range(CHUNKS))],
                               dtype=np.int64)
    return state


def _args(state):
    return state["a"], state["b"], state["c"], SCALAR, state["chunks"], repetitions(state["n"])


def run_serial(state):
    return _serial(*_args(state))


def run_parallel(state):
    return _parallel(*_args(state))
