/* matmul, C vector flavour: register-blocked i-k-j, 8 columns a vector. See Kernels/MatMul.swift. */
#include "CVectorKernels.h"

/* Swift never fuses a*b + c; neither may clang (with -march=native it would
 * emit FMAs), so that both flavours do the same roundings in the same order. */
#pragma STDC FP_CONTRACT OFF

/* Eight doubles; aligned(8) makes a dereference an unaligned load or store. */
typedef double cv_matmul_v8 __attribute__((vector_size(64), aligned(8)));
#define CV_LOAD(p) (*(const cv_matmul_v8 *)(p))
#define CV_STORE(p, v) (*(cv_matmul_v8 *)(p) = (v))

/* C[i..i+3][j..j+7]: four accumulators, each summed over k = 0, 1, … in order. */
static inline void cv_matmul_block4(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, const double *restrict a,
                                    const double *restrict b, double *restrict c) {
  const double *a0 = a + i * n, *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n;
  cv_matmul_v8 c0 = {0}, c1 = {0}, c2 = {0}, c3 = {0};
  for (ptrdiff_t k = 0; k < n; ++k) {
    const cv_matmul_v8 bk = CV_LOAD(b + k * n + j);
    c0 = c0 + a0[k] * bk;
    c1 = c1 + a1[k] * bk;
    c2 = c2 + a2[k] * bk;
    c3 = c3 + a3[k] * bk;
  }
  CV_STORE(c + i * n + j, c0);
  CV_STORE(c + (i + 1) * n + j, c1);
  CV_STORE(c + (i + 2) * n + j, c2);
  CV_STORE(c + (i + 3) * n + j, c3);
}

/* C[i..i+1][j..j+7]. */
static inline void cv_matmul_block2(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, const double *restrict a,
                                    const double *restrict b, double *restrict c) {
  const double *a0 = a + i * n, *a1 = a0 + n;
  cv_matmul_v8 c0 = {0}, c1 = {0};
  for (ptrdiff_t k = 0; k < n; ++k) {
    const cv_matmul_v8 bk = CV_LOAD(b + k * n + j);
    c0 = c0 + a0[k] * bk;
    c1 = c1 + a1[k] * bk;
  }
  CV_STORE(c + i * n + j, c0);
  CV_STORE(c + (i + 1) * n + j, c1);
}

/* C[i][j..j+7]. */
static inline void cv_matmul_block1(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, const double *restrict a,
                                    const double *restrict b, double *restrict c) {
  const double *a0 = a + i * n;
  cv_matmul_v8 c0 = {0};
  for (ptrdiff_t k = 0; k < n; ++k) c0 = c0 + a0[k] * CV_LOAD(b + k * n + j);
  CV_STORE(c + i * n + j, c0);
}

void cv_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, double *restrict c) {
  const ptrdiff_t n8 = n - n % 8;
  /* One strip of 8 columns at a time, for all rows of the chunk: the strip of B
   * (n cache lines) stays in L2 while every block of rows reuses it. */
  for (ptrdiff_t j = 0; j < n8; j += 8) {
    ptrdiff_t i = lo;
    for (; i + 4 <= hi; i += 4) cv_matmul_block4(n, i, j, a, b, c);
    for (; i + 2 <= hi; i += 2) cv_matmul_block2(n, i, j, a, b, c);
    for (; i < hi; ++i) cv_matmul_block1(n, i, j, a, b, c);
  }
  /* The last n % 8 columns, one scalar at a time, summed in the same order. */
  for (ptrdiff_t i = lo; i < hi; ++i) {
    for (ptrdiff_t j = n8; j < n; ++j) {
      double sum = 0.0;
      for (ptrdiff_t k = 0; k < n; ++k) sum = sum + a[i * n + k] * b[k * n + j];
      c[i * n + j] = sum;
    }
  }
}
