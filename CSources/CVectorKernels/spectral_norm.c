/* spectral-norm, C vector flavour: 8 entries a vector. See Sources/Vector/SpectralNorm.swift. */
#include "CVectorKernels.h"

#include <string.h>

/* The Swift vector flavour never fuses a multiply and an add; with the same
 * operations in the same order, the two agree bit for bit. */
#pragma STDC FP_CONTRACT OFF

typedef double v8d __attribute__((vector_size(64)));

/* Macros, not functions: a 64-byte vector argument of a function that is not
 * inlined (a debug build) has no AVX-512 register to travel in, and clang
 * warns that the ABI changes. */

/* Elements [j, j+8) of `a` into `v`, zeros past n. */
#define SN_LOAD(v, a, j, n)                                              \
  do {                                                                   \
    if ((j) + 8 <= (n)) {                                                \
      memcpy(&(v), (a) + (j), sizeof(v8d));                              \
    } else {                                                             \
      (v) = (v8d){0};                                                    \
      for (ptrdiff_t k = 0; k < (n) - (j); ++k) (v)[k] = (a)[(j) + k];   \
    }                                                                    \
  } while (0)

/* The lanes' sum, pairwise, as Vector.spectralNormSum adds them. */
#define SN_SUM(v) ((((v)[0] + (v)[4]) + ((v)[2] + (v)[6])) + (((v)[1] + (v)[5]) + ((v)[3] + (v)[7])))

/* Column offsets of the lanes. The index vectors are carried from block to
 * block (ij += 8), as in the Swift flavour; every value is an exact integer. */
static const v8d lane = {0, 1, 2, 3, 4, 5, 6, 7};

void cv_spectral_norm_a_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                double *out) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    const v8d row_term = (double)(i + 1) + (v8d){0};
    v8d ij = (double)i + lane;
    v8d sum = {0};
    for (ptrdiff_t j = 0; j < n; j += 8) {
      const v8d entry = 1.0 / (ij * (ij + 1.0) * 0.5 + row_term);
      v8d uj;
      SN_LOAD(uj, u, j, n);
      sum += entry * uj;
      ij += 8.0;
    }
    out[i] = SN_SUM(sum);
  }
}

void cv_spectral_norm_at_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                 double *out) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    v8d column = lane;
    v8d ij = (double)i + lane;
    v8d sum = {0};
    for (ptrdiff_t j = 0; j < n; j += 8) {
      const v8d entry = 1.0 / (ij * (ij + 1.0) * 0.5 + (column + 1.0));
      v8d uj;
      SN_LOAD(uj, u, j, n);
      sum += entry * uj;
      column += 8.0;
      ij += 8.0;
    }
    out[i] = SN_SUM(sum);
  }
}

double cv_spectral_norm_dot(ptrdiff_t n, const double *a, const double *b) {
  v8d sum = {0};
  for (ptrdiff_t i = 0; i < n; i += 8) {
    v8d ai, bi;
    SN_LOAD(ai, a, i, n);
    SN_LOAD(bi, b, i, n);
    sum += ai * bi;
  }
  return SN_SUM(sum);
}
