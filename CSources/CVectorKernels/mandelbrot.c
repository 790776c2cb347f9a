/* mandelbrot, C vector flavour: 8 pixels a lane each, several bytes in flight.
 * See Sources/Vector/Mandelbrot.swift, which this mirrors. */
#include "CVectorKernels.h"

/* The Swift flavour never fuses a multiply and an add; neither may this file,
 * or a native build (which has FMA) could flip a pixel on the set's boundary. */
#pragma STDC FP_CONTRACT OFF

typedef double v8d __attribute__((vector_size(64)));
/* What comparing two v8d gives: 64-bit lanes of all ones (true) or zero. */
typedef __typeof__((v8d){0} <= (v8d){0}) v8m;

/* Iterations between escape tests; BLOCKS * BLOCK is the scalar flavour's 50. */
enum { BLOCK = 5, BLOCKS = 10 };

/* Bytes (groups of 8 pixels) iterated together: enough independent dependency
 * chains to cover the iteration's latency, few enough that their state (cr, zr,
 * zi, tr, ti: five vectors a group) stays in registers. A group is one zmm
 * register with AVX-512 (4 groups: 20 of 32 registers), two ymm with AVX (2
 * groups: 20 halves of 16 registers, cr read from memory) and four xmm with
 * SSE2, where one group already fills the 16 registers. */
#if defined(__AVX512F__)
enum { GROUPS = 4 };
#elif defined(__AVX__)
enum { GROUPS = 2 };
#else
enum { GROUPS = 1 };
#endif

int cv_mandelbrot_groups(void) { return GROUPS; }

/* True when some lane of the mask is set. A macro, not a function: a 64-byte
 * vector argument of a function that is not inlined (a debug build) would have
 * no AVX-512 registers to travel in, and clang warns that the ABI changes. */
#define ANY_LANE(m) (((m)[0] | (m)[1] | (m)[2] | (m)[3] | (m)[4] | (m)[5] | (m)[6] | (m)[7]) != 0)

/* Bytes first..first+count-1 of a row (count is a constant at every call, so
 * the loops over g unroll and the arrays live in registers): the groups step
 * through each iteration together and stop when no lane of any of them is
 * bounded, or after 50 iterations. A group that escaped early keeps iterating
 * with the others; that changes no bit (see Vector.mandelbrotRows). */
static inline __attribute__((always_inline)) void cv_mandelbrot_bytes(uint8_t *row, ptrdiff_t first, int count,
                                                                      double ci_scalar, double size) {
  const v8d lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const v8m weight = {128, 64, 32, 16, 8, 4, 2, 1};
  const v8d ci = ci_scalar + (v8d){0};
  v8d cr[GROUPS], zr[GROUPS], zi[GROUPS], tr[GROUPS], ti[GROUPS];
  for (int g = 0; g < count; ++g) {
    const v8d x = (double)((first + g) * 8) + lane;
    cr[g] = 2.0 * x / size - 1.5;
    zr[g] = zi[g] = tr[g] = ti[g] = (v8d){0};
  }
  for (int block = 0; block < BLOCKS; ++block) {
    for (int i = 0; i < BLOCK; ++i) {
      for (int g = 0; g < count; ++g) {
        zi[g] = 2.0 * zr[g] * zi[g] + ci;
        zr[g] = tr[g] - ti[g] + cr[g];
        tr[g] = zr[g] * zr[g];
        ti[g] = zi[g] * zi[g];
      }
    }
    v8m bounded = tr[0] + ti[0] <= 4.0;
    for (int g = 1; g < count; ++g) bounded |= tr[g] + ti[g] <= 4.0;
    if (!ANY_LANE(bounded)) break;
  }
  for (int g = 0; g < count; ++g) {
    /* Lane k is bit 7 - k of the byte: the PBM's most significant bit first. */
    const v8m bits = (tr[g] + ti[g] <= 4.0) & weight;
    row[first + g] = (uint8_t)(bits[0] + bits[1] + bits[2] + bits[3] + bits[4] + bits[5] + bits[6] + bits[7]);
  }
}

void cv_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap) {
  const ptrdiff_t row_bytes = (n + 7) / 8;
  const double size = (double)n;
  const int last_byte_mask = (n & 7) == 0 ? 0xFF : (0xFF << (8 - (n & 7))) & 0xFF;
  for (ptrdiff_t y = lo; y < hi; ++y) {
    uint8_t *row = bitmap + y * row_bytes;
    const double ci = 2.0 * (double)y / size - 1.0;
    ptrdiff_t byte = 0;
    /* Whole groups, then what is left of the row in pairs and singles. */
    if (GROUPS >= 4)
      for (; byte + 4 <= row_bytes; byte += 4) cv_mandelbrot_bytes(row, byte, 4 < GROUPS ? 4 : GROUPS, ci, size);
    if (GROUPS >= 2)
      for (; byte + 2 <= row_bytes; byte += 2) cv_mandelbrot_bytes(row, byte, 2 < GROUPS ? 2 : GROUPS, ci, size);
    for (; byte < row_bytes; ++byte) cv_mandelbrot_bytes(row, byte, 1, ci, size);
    /* Columns n..8·row_bytes-1 were computed like the others: pad them with 0. */
    row[row_bytes - 1] &= (uint8_t)last_byte_mask;
  }
}
