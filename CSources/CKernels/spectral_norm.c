/* spectral-norm: the Benchmarks Game's power method. See Kernels/SpectralNorm.swift. */
#include "CKernels.h"

/* Every flavour performs the same operations in the same order, so results agree
 * bit for bit; a fused multiply-add would round differently. */
#pragma STDC FP_CONTRACT OFF

/* Entry (i, j) of the infinite matrix A, 0-based. */
static inline double eval_a(ptrdiff_t i, ptrdiff_t j) {
  return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

void ck_spectral_norm_a_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                double *out) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    double sum = 0.0;
    for (ptrdiff_t j = 0; j < n; ++j) sum += eval_a(i, j) * u[j];
    out[i] = sum;
  }
}

void ck_spectral_norm_at_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                 double *out) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    double sum = 0.0;
    for (ptrdiff_t j = 0; j < n; ++j) sum += eval_a(j, i) * u[j];
    out[i] = sum;
  }
}

double ck_spectral_norm_dot(ptrdiff_t n, const double *a, const double *b) {
  double sum = 0.0;
  for (ptrdiff_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}
