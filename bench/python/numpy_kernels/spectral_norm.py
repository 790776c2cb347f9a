"""spectral-norm in NumPy: A built once per run as an n x n array (inside the
timed run, as the other ports compute its entries there), then the power
method's products as A @ u and A.T @ w (BLAS gemv) and the final dot products
with @. Each entry of A is the plain kernel's 1.0 / integer, bit for bit; the
sums are BLAS's, in its order, so the norm agrees with the Swift ports to a few
ulps, not bit for bit (see ROUNDING).
"""

import math

import numpy as np

from kernels.spectral_norm import ITERATIONS, NAME, SIZES, result, validate  # noqa: F401

ROUNDING = "BLAS sums A·u in its own order: the norm agrees with the Swift ports to a few ulps, not bit for bit"
#: The relative tolerance (KernelResult.agrees) this port needs against the Swift
#: ports, whose kernel states 0: measured 1.7e-16 at n = 100, 3.5e-16 at 350, 1.7e-15 at 3000.
TOLERANCE = 1e-13


def prepare(n):
    return {"n": n}


def matrix(n):
    i = np.arange(n, dtype=np.int64)[:, None]
    j = np.arange(n, dtype=np.int64)[None, :]
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def run(state, ex=None):
    a = matrix(state["n"])
    u = np.ones(state["n"])
    v = u
    for _ in range(ITERATIONS):
        v = a.T @ (a @ u)
        u = a.T @ (a @ v)
    return math.sqrt(float(u @ v) / float(v @ v))
