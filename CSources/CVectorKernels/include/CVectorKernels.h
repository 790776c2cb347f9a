/*
 * CVectorKernels: the C vector flavour of the SpeedLadder kernels that have one.
 *
 * Portable C11 plus the GCC/Clang vector extensions (`__attribute__((vector_size))`):
 * no intrinsics, no OpenMP, nothing x86-specific, so it builds for arm64 as well
 * as x86-64. Each function computes one chunk [lo, hi) with the same algorithm,
 * lane count and order of operations as the Swift vector flavour (Sources/Vector),
 * whose functions it mirrors one for one. Sizes and indices are ptrdiff_t.
 */
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Support (support.c) */

/* The widest vector registers the target CPU flags allow, in bytes: 16, 32 or 64. */
int cv_native_vector_bytes(void);

/* MARK: - mandelbrot (mandelbrot.c) */

/* MARK: - nbody (nbody.c) */

/* MARK: - spectral-norm (spectral_norm.c) */

/* MARK: - matmul (matmul.c) */

/* Rows [lo, hi) of C = A·B for n×n row-major matrices (the three must not
 * overlap), register-blocked: for each strip of 8 columns, blocks of 4 rows (then
 * 2, then 1) accumulate C[i][j..j+7] in vectors over k = 0, 1, …, n-1; the last
 * n % 8 columns are scalar. Every entry is summed in the same order as
 * ck_matmul_rows, without fused multiply-adds. */
void cv_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, double *restrict c);

/* MARK: - triad (triad.c) */

/* a[i] = b[i] + s*c[i] for i in [lo, hi), 8 doubles a vector, then a scalar tail;
 * no fused multiply-add, so its roundings are those of the Swift vector flavour. */
void cv_triad(double *a, const double *b, const double *c, double s, ptrdiff_t lo, ptrdiff_t hi);

/* MARK: - sieve (sieve.c) */

/* MARK: - fannkuch-redux (fannkuch_redux.c) */

#ifdef __cplusplus
}
#endif

#endif
