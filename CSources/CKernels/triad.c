/* triad: STREAM's a[i] = b[i] + s*c[i]. See Kernels/Triad.swift. */
#include "CKernels.h"

void ck_triad(double *a, const double *b, const double *c, double s, ptrdiff_t lo, ptrdiff_t hi) {
  for (ptrdiff_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
}
