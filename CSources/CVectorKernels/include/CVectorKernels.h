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
 * cv_mandelbrot_groups() bytes iterated together (then pairs and singles at
 * the row's end), all their lanes iterating until every one has escaped or 50
 * iterations are done, tested every 5 iterations. Row y occupies bytes
 * [y*(n+7)/8, (y+1)*(n+7)/8). */
void cv_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap);

/* How many bytes cv_mandelbrot_rows keeps in flight for the vector registers
 * this file was compiled for: 4 with AVX-512, 2 with AVX, 1 otherwise. The
 * Swift vector flavour is handed the same number, so both run the same groups. */
int cv_mandelbrot_groups(void);

/* MARK: - nbody (nbody.c) */

/* One symplectic-Euler step of dt for bodies [lo, hi) of n, with the layout and
 * contract of ck_nbody_advance, eight other bodies a vector: lane k sums the
 * pulls of bodies j ≡ k (mod 8) in order, and the lanes are added pairwise at
 * the end (((l0+l4)+(l2+l6))+((l1+l5)+(l3+l7))), exactly as the Swift vector
 * flavour adds them. The energy is the scalar ck_nbody_energy. */
void cv_nbody_advance(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, double dt,
                      const double *pos, const double *mass, double *vel, double *next);

/* MARK: - spectral-norm (spectral_norm.c) */

/* Rows [lo, hi) of A·u and of Aᵀ·u, and the dot product, as ck_spectral_norm_…
 * compute them but eight columns a vector: the entries are the same, lane k
 * sums columns j ≡ k (mod 8) in order, and the lanes are added pairwise at
 * the end (((l0+l4)+(l2+l6))+((l1+l5)+(l3+l7))), exactly as the Swift vector
 * flavour adds them. */
void cv_spectral_norm_a_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                double *out);
void cv_spectral_norm_at_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                 double *out);
double cv_spectral_norm_dot(ptrdiff_t n, const double *a, const double *b);

/* MARK: - matmul (matmul.c) */

/* Doubles in B's packed copy for n: (n - n % 8) * n, every column but the
 * last n % 8 (which cv_matmul_rows reads from B in place). */
ptrdiff_t cv_matmul_packed_count(ptrdiff_t n);

/* Copies rows [lo, hi) of B (n×n, row-major) into `packed`
 * (cv_matmul_packed_count(n) doubles), the layout cv_matmul_rows reads: panel
 * by panel of 256 rows (k0 = 0, 256, ...; kc = min(256, n - k0) rows each),
 * and within a panel strip by strip of 8 columns, each strip kc rows of 8
 * contiguous doubles: B[k][j + l] lands at k0*(n - n%8) + j*kc + (k - k0)*8 + l.
 * Disjoint row ranges write disjoint doubles, so chunks may pack in parallel. */
void cv_matmul_pack_b(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict b,
                      double *restrict packed);

/* Rows [lo, hi) of C = A·B for n×n row-major matrices (C must not overlap the
 * others), with a register-blocked micro-kernel: for each panel of 256 k and
 * each strip of 8 columns (read from packed_b, all of B packed by
 * cv_matmul_pack_b), blocks of cv_matmul_block_rows() rows (A packed k-major)
 * accumulate C[i][j..j+7] in vectors, then blocks of 4, 2 and 1 rows for the
 * chunk's last rows; the last n % 8 columns are scalar, from B in place.
 * Multiply-adds may be fused (cv_matmul_fuses()): exact for MatMul's
 * small-integer inputs, not bit-for-bit the scalar order on others. */
void cv_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, const double *restrict packed_b, double *restrict c);

/* The micro-kernel's rows (m_r) for the registers this file was compiled for:
 * 8 with AVX-512, 4 with AVX, 2 otherwise. The Swift vector flavour is handed
 * the same number. */
int cv_matmul_block_rows(void);

/* 1 when this file was compiled for a target with fused multiply-adds (and so
 * fuses a*b + c), 0 otherwise; the Swift vector flavour fuses likewise. */
int cv_matmul_fuses(void);

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
