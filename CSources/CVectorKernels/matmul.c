/* matmul, C vector flavour: a register-blocked micro-kernel over packed panels of A
 * and B, 8 columns a vector. See Kernels/MatMul.swift and Vector.matmulRows, which
 * this mirrors. */
#include "CVectorKernels.h"

#include <stdbool.h>
#include <stdlib.h>

/* a*b + c may become one fused multiply-add where the target has them: every
 * product and partial sum of this kernel's inputs is an integer far below 2^53
 * (MatMul's definition), so fusing cannot change a bit. Without FMA (baseline
 * x86-64) clang keeps a multiply and an add. */
#pragma STDC FP_CONTRACT ON

/* Eight doubles; aligned(8) makes a dereference an unaligned load or store. */
typedef double cv_matmul_v8 __attribute__((vector_size(64), aligned(8)));
#define CV_LOAD(p) (*(const cv_matmul_v8 *)(p))
#define CV_STORE(p, v) (*(cv_matmul_v8 *)(p) = (v))

/* k values a panel spans. Each panel is one pass over C (its tiles loaded and
 * stored once), so a longer panel means fewer passes; at 512 a strip of packed
 * B (512 × 8 doubles, 32 KiB) is the size of L1 on the machines we measure,
 * and a chunk's packed rows of A (rows × 512 doubles) stay in L2. */
enum { CV_MATMUL_KC = 512 };

/* Columns of C a group of strips spans (4 strips of 8): the blocks of a chunk
 * pass over one group before the next (see cv_matmul_rows). */
enum { CV_MATMUL_NC = 32 };

/* Rows of the micro-kernel's block (m_r; n_r is one vector of 8 columns): as
 * many accumulators as the registers hold beside a vector of B and a broadcast.
 * AVX-512: 8 rows, 8 zmm accumulators of 32 registers. AVX: 4 rows, 8 ymm of 16.
 * SSE2: 2 rows, 8 xmm accumulators and B's 4 of 16 (4 rows would need all 16
 * registers for the accumulators alone, and spilling them costs more than the
 * shared loads of B save). */
#if defined(__AVX512F__)
enum { CV_MATMUL_MR = 8 };
#elif defined(__AVX__)
enum { CV_MATMUL_MR = 4 };
#else
enum { CV_MATMUL_MR = 2 };
#endif

int cv_matmul_block_rows(void) { return CV_MATMUL_MR; }

int cv_matmul_fuses(void) {
#if defined(__FMA__)
  return 1;
#else
  return 0;
#endif
}

/* The micro-kernel: C[0..rows-1][0..7] (+)= A[rows][0..kc) · panel, where
 * a[r*ars + k*aks] is A's row r at k (packed: ars = 1, aks = rows; in place:
 * ars = n, aks = 1) and panel[8k..8k+7] is B's row k of the strip. `rows` is a
 * constant at every call, so the loops over r unroll and acc lives in
 * registers: each k costs one load of B, `rows` broadcasts of A (folded into
 * the multiply-adds) and `rows` multiply-adds into independent accumulators. */
static inline __attribute__((always_inline)) void cv_matmul_block(int rows, ptrdiff_t kc, bool first,
                                                                  const double *a, ptrdiff_t ars,
                                                                  ptrdiff_t aks, const double *panel,
                                                                  double *c, ptrdiff_t n) {
  cv_matmul_v8 acc[CV_MATMUL_MR];
  for (int r = 0; r < rows; ++r) acc[r] = first ? (cv_matmul_v8){0} : CV_LOAD(c + r * n);
  for (ptrdiff_t k = 0; k < kc; ++k) {
    const cv_matmul_v8 bk = CV_LOAD(panel + 8 * k);
    for (int r = 0; r < rows; ++r) acc[r] = a[r * ars + k * aks] * bk + acc[r];
  }
  for (int r = 0; r < rows; ++r) CV_STORE(c + r * n, acc[r]);
}

#define CV_MIN(x, y) ((x) < (y) ? (x) : (y))

int cv_matmul_panel_k(void) { return CV_MATMUL_KC; }

ptrdiff_t cv_matmul_packed_count(ptrdiff_t n) { return CV_MIN(n, (ptrdiff_t)CV_MATMUL_KC) * (n - n % 8); }

void cv_matmul_pack_b(ptrdiff_t n, ptrdiff_t k0, ptrdiff_t lo, ptrdiff_t hi, const double *restrict b,
                      double *restrict packed) {
  const ptrdiff_t n8 = n - n % 8, kc = CV_MIN(n - k0, (ptrdiff_t)CV_MATMUL_KC);
  /* Row k of B is read once, front to back (a stream the prefetcher follows),
   * and its 8-column pieces go to row k - k0 of every strip: strip j starts
   * at j * kc. */
  for (ptrdiff_t k = lo; k < hi; ++k) {
    double *row = packed + (k - k0) * 8;
    for (ptrdiff_t j = 0; j < n8; j += 8) CV_STORE(row + j * kc, CV_LOAD(b + k * n + j));
  }
}

void cv_matmul_rows(ptrdiff_t n, ptrdiff_t k0, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, const double *restrict packed_b, double *restrict c) {
  const ptrdiff_t n8 = n - n % 8, kc = CV_MIN(n - k0, (ptrdiff_t)CV_MATMUL_KC);
  const bool first = k0 == 0;
  /* Rows lo..full-1 go in blocks of CV_MATMUL_MR, whose A is packed. */
  const ptrdiff_t full = lo + (hi - lo) / CV_MATMUL_MR * CV_MATMUL_MR;
  double *packed_a = full > lo ? malloc(sizeof(double) * (size_t)((full - lo) * kc)) : NULL;
  if (full > lo && !packed_a) abort();
  /* A's rows over this panel, a block of CV_MATMUL_MR rows at a time, k-major:
   * the micro-kernel's broadcasts at k are CV_MATMUL_MR adjacent doubles, one
   * stream instead of CV_MATMUL_MR rows 8n bytes apart. */
  for (ptrdiff_t i = lo; i < full; i += CV_MATMUL_MR) {
    double *block = packed_a + (i - lo) * kc;
    for (ptrdiff_t k = 0; k < kc; ++k)
      for (int r = 0; r < CV_MATMUL_MR; ++r) block[k * CV_MATMUL_MR + r] = a[(i + r) * n + k0 + k];
  }
  /* Whole blocks, a group of CV_MATMUL_NC columns at a time: every block of
   * rows meets the group's strips in turn (each strip of B over this panel is
   * kc * 8 contiguous doubles, packed by cv_matmul_pack_b; the group's strips
   * stay in L2 while the blocks pass), so a block's packed A is reused from L1
   * strip after strip, and its tiles of C follow one another along its rows,
   * streams the hardware prefetcher follows. */
  for (ptrdiff_t jg = 0; jg < n8; jg += CV_MATMUL_NC) {
    const ptrdiff_t je = CV_MIN(n8, jg + CV_MATMUL_NC);
    for (ptrdiff_t i = lo; i < full; i += CV_MATMUL_MR)
      for (ptrdiff_t j = jg; j < je; j += 8)
        cv_matmul_block(CV_MATMUL_MR, kc, first, packed_a + (i - lo) * kc, 1, CV_MATMUL_MR, packed_b + j * kc,
                        c + i * n + j, n);
  }
  /* The chunk's last rows, fewer than a block: A read in place. */
  for (ptrdiff_t j = 0; j < n8; j += 8) {
    const double *strip = packed_b + j * kc;
    ptrdiff_t i = full;
    if (CV_MATMUL_MR > 4)
      for (; i + 4 <= hi; i += 4)
        cv_matmul_block(CV_MIN(4, CV_MATMUL_MR), kc, first, a + i * n + k0, n, 1, strip, c + i * n + j, n);
    if (CV_MATMUL_MR > 2)
      for (; i + 2 <= hi; i += 2)
        cv_matmul_block(CV_MIN(2, CV_MATMUL_MR), kc, first, a + i * n + k0, n, 1, strip, c + i * n + j, n);
    for (; i < hi; ++i) cv_matmul_block(1, kc, first, a + i * n + k0, n, 1, strip, c + i * n + j, n);
  }
  free(packed_a);
  if (!first) return;
  /* The last n % 8 columns, in the first panel's pass, over all of k, B read
   * in place. With n >= 8, a row of C at a time: one vector of B's last 8
   * columns a k (in bounds for every row k; its first 8 - n % 8 lanes repeat
   * columns the strips computed and are dropped), one chain of multiply-adds
   * instead of n % 8 scalar chains walking B's columns. */
  if (n8 == n) return;
  if (n >= 8) {
    for (ptrdiff_t i = lo; i < hi; ++i) {
      cv_matmul_v8 acc = {0};
      for (ptrdiff_t k = 0; k < n; ++k) acc = a[i * n + k] * CV_LOAD(b + k * n + n - 8) + acc;
      for (ptrdiff_t j = n8; j < n; ++j) c[i * n + j] = acc[j - (n - 8)];
    }
    return;
  }
  for (ptrdiff_t i = lo; i < hi; ++i) {
    for (ptrdiff_t j = n8; j < n; ++j) {
      double sum = 0.0;
      for (ptrdiff_t k = 0; k < n; ++k) sum = sum + a[i * n + k] * b[k * n + j];
      c[i * n + j] = sum;
    }
  }
}
