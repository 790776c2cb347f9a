# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""mandelbrot in Cython: the plain-Python kernel (kernels/mandelbrot.py) with
typed C doubles, the GIL released, and the C flavour's loop (CSources/CKernels/mandelbrot.c: the
squares kept between iterations). Same rows as chunks, same bits, same result;
input and result come from the Python module."""

from kernels.mandelbrot import NAME, SIZES, prepare, result  # noqa: F401


def row(Py_ssize_t n, Py_ssize_t y):
    """Row y of the bitmap, packed 8 pixels a byte, most significant bit first."""
    cdef bytearray packed = bytearray((n + 7) // 8)
    cdef unsigned char *out = <unsigned char *><char *>packed
    cdef double ci = 2.0 * <double>y / <double>n - 1.0
    cdef double cr, zr, zi, tr, ti
    cdef Py_ssize_t x
    cdef int i
    # Only C values inside: the GIL is released, so threads run rows in parallel.
    with nogil:
        for x in range(n):
            cr = 2.0 * <double>x / <double>n - 1.5
            zr = zi = tr = ti = 0.0
            i = 0
            while i < 50 and tr + ti <= 4.0:
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                i += 1
            if tr + ti <= 4.0:
                out[x >> 3] |= 0x80 >> (x & 7)
    return bytes(packed)


def run(state, ex):
    n = state["n"]
    return b"".join(ex.map(row, [(n, y) for y in range(n)]))
