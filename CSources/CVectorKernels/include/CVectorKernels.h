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

/* Rows [lo, hi) of the n×n Benchmarks Game bitmap, bit for bit the scalar
 * ck_mandelbrot_rows's: 8 pixels (one output byte) per vector of 8 doubles,
 * all lanes iterating until every one has escaped or 50 iterations are done,
 * tested every 5 iterations. Row y occupies bytes [y*(n+7)/8, (y+1)*(n+7)/8). */
void cv_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap);

/* MARK: - nbody (nbody.c) */

/* MARK: - spectral-norm (spectral_norm.c) */

/* MARK: - matmul (matmul.c) */

/* MARK: - triad (triad.c) */

/* MARK: - sieve (sieve.c) */

/* MARK: - fannkuch-redux (fannkuch_redux.c) */

#ifdef __cplusplus
}
#endif

#endif
