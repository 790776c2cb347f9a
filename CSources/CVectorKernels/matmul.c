/* matmul, C vector flavour: register-blocked i-k-j over packed panels of B, 8 columns
 * a vector. See Kernels/MatMul.swift and Vector.matmulRows, which this mirrors. */
#include "CVectorKernels.h"

#include <stdbool.h>

/* Swift never fuses a*b + c; neither may clang (with -march=native it would
 * emit FMAs), so that both flavours do the same roundings in the same order. */
#pragma STDC FP_CONTRACT OFF

/* Eight doubles; aligned(8) makes a dereference an unaligned load or store. */
typedef double cv_matmul_v8 __attribute__((vector_size(64), aligned(8)));
#define CV_LOAD(p) (*(const cv_matmul_v8 *)(p))
#define CV_STORE(p, v) (*(cv_matmul_v8 *)(p) = (v))

/* Rows of B a panel holds: 256 × 8 doubles, 16 KiB, which stay in L1 beside
 * the four rows of A a block reads. */
enum { CV_MATMUL_PANEL_ROWS = 256 };

/* C[i..i+3][j..j+7] += A[i..i+3][k0..k0+kc) · panel, where panel[ld·k..ld·k+7] is
 * B[k0+k][j..j+7] (packed, ld = 8; in place, ld = n); the first panel (k0 == 0)
 * starts from zero. Four accumulators, each summed over k in order, so each entry
 * of C is summed over 0, 1, …, n-1. */
static inline void cv_matmul_block4(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, ptrdiff_t k0, ptrdiff_t kc,
                                    const double *restrict a, const double *restrict panel, ptrdiff_t ld,
                                    double *restrict c) {
  const double *a0 = a + i * n + k0, *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n;
  double *c0p = c + i * n + j, *c1p = c0p + n, *c2p = c1p + n, *c3p = c2p + n;
  const cv_matmul_v8 zero = {0};
  cv_matmul_v8 c0 = k0 ? CV_LOAD(c0p) : zero, c1 = k0 ? CV_LOAD(c1p) : zero;
  cv_matmul_v8 c2 = k0 ? CV_LOAD(c2p) : zero, c3 = k0 ? CV_LOAD(c3p) : zero;
  for (ptrdiff_t k = 0; k < kc; ++k) {
    const cv_matmul_v8 bk = CV_LOAD(panel + ld * k);
    c0 = c0 + a0[k] * bk;
    c1 = c1 + a1[k] * bk;
    c2 = c2 + a2[k] * bk;
    c3 = c3 + a3[k] * bk;
  }
  CV_STORE(c0p, c0);
  CV_STORE(c1p, c1);
  CV_STORE(c2p, c2);
  CV_STORE(c3p, c3);
}

/* C[i..i+1][j..j+7], likewise. */
static inline void cv_matmul_block2(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, ptrdiff_t k0, ptrdiff_t kc,
                                    const double *restrict a, const double *restrict panel, ptrdiff_t ld,
                                    double *restrict c) {
  const double *a0 = a + i * n + k0, *a1 = a0 + n;
  double *c0p = c + i * n + j, *c1p = c0p + n;
  const cv_matmul_v8 zero = {0};
  cv_matmul_v8 c0 = k0 ? CV_LOAD(c0p) : zero, c1 = k0 ? CV_LOAD(c1p) : zero;
  for (ptrdiff_t k = 0; k < kc; ++k) {
    const cv_matmul_v8 bk = CV_LOAD(panel + ld * k);
    c0 = c0 + a0[k] * bk;
    c1 = c1 + a1[k] * bk;
  }
  CV_STORE(c0p, c0);
  CV_STORE(c1p, c1);
}

/* C[i][j..j+7], likewise. */
static inline void cv_matmul_block1(ptrdiff_t n, ptrdiff_t i, ptrdiff_t j, ptrdiff_t k0, ptrdiff_t kc,
                                    const double *restrict a, const double *restrict panel, ptrdiff_t ld,
                                    double *restrict c) {
  const double *a0 = a + i * n + k0;
  double *c0p = c + i * n + j;
  const cv_matmul_v8 zero = {0};
  cv_matmul_v8 c0 = k0 ? CV_LOAD(c0p) : zero;
  for (ptrdiff_t k = 0; k < kc; ++k) c0 = c0 + a0[k] * CV_LOAD(panel + ld * k);
  CV_STORE(c0p, c0);
}

void cv_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, double *restrict c) {
  const ptrdiff_t n8 = n - n % 8;
  _Alignas(64) double packed[CV_MATMUL_PANEL_ROWS * 8];
  /* A panel of 256 of B's rows at a time, each strip of 8 columns of it for all
   * rows of the chunk, while the chunk's rows of A over the panel's k (2 KiB a
   * row) stay in L2. B's rows are 8n bytes apart, so a strip read in place
   * touches a new page every row and its lines crowd a few cache sets: when two
   * or more blocks of 4 rows will read it, it is first copied into one
   * contiguous 16 KiB buffer that they reuse from L1. A chunk of fewer rows
   * reads it in place, since the copy would cost as much as it saves. */
  const bool packs = hi - lo >= 8;
  for (ptrdiff_t k0 = 0; k0 < n; k0 += CV_MATMUL_PANEL_ROWS) {
    const ptrdiff_t kc = n - k0 < CV_MATMUL_PANEL_ROWS ? n - k0 : CV_MATMUL_PANEL_ROWS;
    for (ptrdiff_t j = 0; j < n8; j += 8) {
      const double *panel = b + k0 * n + j;
      ptrdiff_t ld = n;
      if (packs) {
        for (ptrdiff_t k = 0; k < kc; ++k) CV_STORE(packed + 8 * k, CV_LOAD(panel + k * n));
        panel = packed;
        ld = 8;
      }
      ptrdiff_t i = lo;
      for (; i + 4 <= hi; i += 4) cv_matmul_block4(n, i, j, k0, kc, a, panel, ld, c);
      for (; i + 2 <= hi; i += 2) cv_matmul_block2(n, i, j, k0, kc, a, panel, ld, c);
      for (; i < hi; ++i) cv_matmul_block1(n, i, j, k0, kc, a, panel, ld, c);
    }
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
