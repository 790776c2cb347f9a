/* mandelbrot: the Benchmarks Game's escape-time bitmap. See Kernels/Mandelbrot.swift. */
#include "CKernels.h"

void ck_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap) {
  const ptrdiff_t row_bytes = (n + 7) / 8;
  for (ptrdiff_t y = lo; y < hi; ++y) {
    uint8_t *row = bitmap + y * row_bytes;
    const double ci = 2.0 * (double)y / (double)n - 1.0;
    unsigned byte = 0;
    for (ptrdiff_t x = 0; x < n; ++x) {
      const double cr = 2.0 * (double)x / (double)n - 1.5;
      double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
      for (int i = 0; i < 50 && tr + ti <= 4.0; ++i) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      byte = (byte << 1) | (tr + ti <= 4.0);
      if ((x & 7) == 7) {
        row[x >> 3] = (uint8_t)byte;
        byte = 0;
      }
    }
    if (n & 7) row[n >> 3] = (uint8_t)(byte << (8 - (n & 7)));
  }
}
