"""mandelbrot in Numba: the plain kernel's row loop, compiled. One row per
chunk (n chunks), each row packed into its bytes of an (n, (n+7)/8) bitmap;
same float operations in the same order, so the same bits."""

import numpy as np
from numba import njit, prange

from kernels.mandelbrot import NAME, SIZES, prepare, result  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def row_into(bitmap, n, y):
    """Row y of the bitmap, packed 8 pixels a byte, most significant bit first."""
    ci = 2.0 * y / n - 1.0
    for x in range(n):
        cr = 2.0 * x / n - 1.5
        zr = 0.0
        zi = 0.0
        inside = True
        for _ in range(50):
            if zr * zr + zi * zi > 4.0:
                inside = False
                break
            zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        if inside and zr * zr + zi * zi <= 4.0:
            bitmap[y, x >> 3] |= np.uint8(0x80 >> (x & 7))


def _all_rows(n):
    bitmap = np.zeros((n, (n + 7) // 8), dtype=np.uint8)
    for y in prange(n):
        row_into(bitmap, n, y)
    return bitmap


_serial, _parallel = parallel_pair(_all_rows)


def run_serial(state):
    return _serial(state["n"]).tobytes()


def run_parallel(state):
    return _parallel(state["n"]).tobytes()


def run_chunks(state, ex):
    n = state["n"]
    bitmap = np.zeros((n, (n + 7) // 8), dtype=np.uint8)
    ex.map(row_into, [(bitmap, n, y) for y in range(n)])
    return bitmap.tobytes()
