/* mandelbrot, C vector flavour: 8 pixels a lane each. See Sources/Vector/Mandelbrot.swift. */
#include "CVectorKernels.h"

/* The Swift flavour never fuses a multiply and an add; neither may this file,
 * or a native build (which has FMA) could flip a pixel on the set's boundary. */
#pragma STDC FP_CONTRACT OFF

typedef double v8d __attribute__((vector_size(64)));
/* What comparing two v8d gives: 64-bit lanes of all ones (true) or zero. */
typedef __typeof__((v8d){0} <= (v8d){0}) v8m;

/* Iterations between escape tests; BLOCKS * BLOCK is the scalar flavour's 50. */
enum { BLOCK = 5, BLOCKS = 10 };

/* True when some lane of the mask is set. A macro, not a function: a 64-byte
 * vector argument of a function that is not inlined (a debug build) would have
 * no AVX-512 registers to travel in, and clang warns that the ABI changes. */
#define ANY_LANE(m) (((m)[0] | (m)[1] | (m)[2] | (m)[3] | (m)[4] | (m)[5] | (m)[6] | (m)[7]) != 0)

void cv_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap) {
  const ptrdiff_t row_bytes = (n + 7) / 8;
  const double size = (double)n;
  const v8d lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const v8m weight = {128, 64, 32, 16, 8, 4, 2, 1};
  const int last_byte_mask = (n & 7) == 0 ? 0xFF : (0xFF << (8 - (n & 7))) & 0xFF;
  for (ptrdiff_t y = lo; y < hi; ++y) {
    uint8_t *row = bitmap + y * row_bytes;
    const double ci_scalar = 2.0 * (double)y / size - 1.0;
    const v8d ci = ci_scalar + (v8d){0};
    for (ptrdiff_t byte = 0; byte < row_bytes; ++byte) {
      const v8d x = (double)(byte * 8) + lane;
      const v8d cr = 2.0 * x / size - 1.5;
      v8d zr = {0}, zi = {0}, tr = {0}, ti = {0};
      for (int block = 0; block < BLOCKS; ++block) {
        for (int i = 0; i < BLOCK; ++i) {
          zi = 2.0 * zr * zi + ci;
          zr = tr - ti + cr;
          tr = zr * zr;
          ti = zi * zi;
        }
        const v8m bounded = tr + ti <= 4.0;
        if (!ANY_LANE(bounded)) break;
      }
      const v8m bits = (tr + ti <= 4.0) & weight;
      const int64_t sum = bits[0] + bits[1] + bits[2] + bits[3] + bits[4] + bits[5] + bits[6] + bits[7];
      const int mask = byte == row_bytes - 1 ? last_byte_mask : 0xFF;
      row[byte] = (uint8_t)(sum & mask);
    }
  }
}
