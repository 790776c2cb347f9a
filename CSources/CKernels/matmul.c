/* matmul: C = A·B for n×n doubles, row-major. See Kernels/MatMul.swift. */
#include "CKernels.h"

void ck_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, double *restrict c) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    const double *ai = a + i * n;
    double *ci = c + i * n;
    for (ptrdiff_t j = 0; j < n; ++j) ci[j] = 0.0;
    for (ptrdiff_t k = 0; k < n; ++k) {
      const double aik = ai[k];
      const double *bk = b + k * n;
      for (ptrdiff_t j = 0; j < n; ++j) ci[j] += aik * bk[j];
    }
  }
}
