/* triad, C vector flavour: a[i] = b[i] + s*c[i], 8 doubles a vector. See Kernels/Triad.swift. */
#include "CVectorKernels.h"

/* No fused multiply-add under -march=native: the same roundings as Swift. */
#pragma STDC FP_CONTRACT OFF

/* Eight doubles; aligned(8) makes a dereference an unaligned load or store. */
typedef double cv_triad_v8 __attribute__((vector_size(64), aligned(8)));

void cv_triad(double *a, const double *b, const double *c, double s, ptrdiff_t lo, ptrdiff_t hi) {
  ptrdiff_t i = lo;
  for (; i + 8 <= hi; i += 8) {
    *(cv_triad_v8 *)(a + i) = *(const cv_triad_v8 *)(b + i) + s * *(const cv_triad_v8 *)(c + i);
  }
  for (; i < hi; ++i) a[i] = b[i] + s * c[i];
}
