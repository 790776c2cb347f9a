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

/* k values a panel of the product spans: C = A·B is computed panel by panel,
 * k0 = 0, P, 2P, ... (P = cv_matmul_panel_k(), the last panel kc = n - k0 < P
 * rows), each panel in two parallel phases: every chunk packs its share of the
 * panel's rows of B (cv_matmul_pack_b), then every chunk adds the panel's part
 * of the product to its rows of C (cv_matmul_rows). */
int cv_matmul_panel_k(void);

/* Doubles in one packed panel of B for n: min(n, P) * (n - n % 8), every
 * column but the last n % 8 (which cv_matmul_rows reads from B in place). */
ptrdiff_t cv_matmul_packed_count(ptrdiff_t n);

/* Copies rows [lo, hi) of B (n×n, row-major), k0 <= lo <= hi <= k0 + kc, into
 * `packed`, the panel k0's layout that cv_matmul_rows reads: strip by strip of
 * 8 columns, each strip kc rows of 8 contiguous doubles: B[k][j + l] lands at
 * j*kc + (k - k0)*8 + l. Disjoint row ranges write disjoint doubles, so chunks
 * may pack in parallel. */
void cv_matmul_pack_b(ptrdiff_t n, ptrdiff_t k0, ptrdiff_t lo, ptrdiff_t hi, const double *restrict b,
                      double *restrict packed);

/* Rows [lo, hi) of C = A·B for n×n row-major matrices (C must not overlap the
 * others), over the panel k0 of k, whose rows of B are all in packed_b: the
 * first panel (k0 = 0) writes C, later ones add to it. A register-blocked
 * micro-kernel: for each strip of 8 columns, blocks of cv_matmul_block_rows()
 * rows (A packed k-major) accumulate C[i][j..j+7] in vectors, then blocks of
 * 4, 2 and 1 rows for the chunk's last rows; the last n % 8 columns over all
 * of k, from B in place, in the first panel's call (a row at a time from
 * vectors of B's last 8 columns; scalar when n < 8).
 * Multiply-adds may be fused (cv_matmul_fuses()): exact for MatMul's
 * small-integer inputs, not bit-for-bit the scalar order on others. */
void cv_matmul_rows(ptrdiff_t n, ptrdiff_t k0, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
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
