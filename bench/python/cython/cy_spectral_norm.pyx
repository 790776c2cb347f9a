# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""spectral-norm in Cython: kernels/spectral_norm.py with the products' inner
loops over C doubles and C integers (CSources/CKernels/spectral_norm.c's loop).
Same min(64, n) chunks of rows per product, same order of additions, same
bits. Serially the chunks are called in order at C level (as Swift's
SequentialExecutor calls closures); other executors get them through ex.map."""

from array import array

from kernels.spectral_norm import NAME, SIZES, ITERATIONS, prepare, validate  # noqa: F401
from kernels.spectral_norm import result  # noqa: F401
from kernels.support import SerialExecutor

from libc.math cimport sqrt


cdef void product_rows(Py_ssize_t n, Py_ssize_t lo, Py_ssize_t hi, const double *u, double *out,
                       bint transposed) noexcept nogil:
    """out[i - lo] = row i of A·u (or Aᵀ·u) for i in lo..<hi."""
    cdef Py_ssize_t i, j
    cdef double total
    for i in range(lo, hi):
        total = 0.0
        for j in range(n):
            if transposed:
                total += 1.0 / <double>((i + j) * (i + j + 1) // 2 + j + 1) * u[j]
            else:
                total += 1.0 / <double>((i + j) * (i + j + 1) // 2 + i + 1) * u[j]
        out[i - lo] = total


def rows(Py_ssize_t lo, Py_ssize_t hi, double[::1] u, bint transposed):
    """One chunk for ex.map: rows lo..<hi as a new array."""
    piece = array("d", bytes(8 * (hi - lo)))
    cdef double[::1] out = piece
    if hi > lo:
        with nogil:  # threads run chunks in parallel
            product_rows(u.shape[0], lo, hi, &u[0], &out[0], transposed)
    return piece


cdef void product(object chunks, object ex, double[::1] u, double[::1] out, bint transposed):
    cdef Py_ssize_t lo, hi
    cdef double[::1] src
    if isinstance(ex, SerialExecutor):
        for lo, hi in chunks:
            product_rows(u.shape[0], lo, hi, &u[0], &out[lo], transposed)
    else:
        pieces = ex.map(rows, [(lo, hi, u.base, transposed) for lo, hi in chunks])
        for (lo, hi), piece in zip(chunks, pieces):
            src = piece
            out[lo:hi] = src


def run(state, ex):
    cdef Py_ssize_t n = state["n"], i
    chunks = state["chunks"]
    cdef double[::1] u = array("d", [1.0] * n)
    cdef double[::1] v = array("d", bytes(8 * n))
    cdef double[::1] w = array("d", bytes(8 * n))
    for _ in range(ITERATIONS):
        product(chunks, ex, u, w, False)
        product(chunks, ex, w, v, True)
        product(chunks, ex, v, w, False)
        product(chunks, ex, w, u, True)
    cdef double vbv = 0.0, vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return sqrt(vbv / vv)
