/*
 * CKernels: the C flavour of every SpeedLadder kernel.
 *
 * Clean, portable C11: no intrinsics, no OpenMP, no threads of its own. Each
 * function computes one chunk [lo, hi) of a kernel with the same algorithm and
 * data layout as the unsafe Swift flavour; the Swift harness owns the threads
 * and calls these from them. Sizes and indices are ptrdiff_t (Swift's Int).
 */
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Support (support.c) */

/* One step of SplitMix64; identical to KernelKit's SplitMix64.next(). */
uint64_t ck_splitmix64_next(uint64_t *state);
/* 1 when this file was compiled with optimisation (__OPTIMIZE__), else 0. */
int ck_is_optimized(void);
/* The compiler that built the C target, e.g. "Clang 21.0.0 (...)". */
const char *ck_compiler_version(void);

/* MARK: - mandelbrot (mandelbrot.c) */

/* Rows [lo, hi) of the n×n Benchmarks Game bitmap: bit x of row y is 1 when
 * the point stays bounded for 50 iterations. Row y occupies bytes
 * [y*(n+7)/8, (y+1)*(n+7)/8) of `bitmap`, most significant bit first. */
void ck_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap);

/* MARK: - fannkuch-redux (fannkuch_redux.c) */

/* Permutations [lo, hi) of 0..<n in the Benchmarks Game's order (n <= 16):
 * returns the sum of their flip counts, each with the sign of its GLOBAL index
 * (+ for even), and stores the largest flip count in *max_flips. */
ptrdiff_t ck_fannkuch_redux_chunk(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t *max_flips);

/* MARK: - nqueens (nqueens.c) */

/* The number of ways to complete an n×n board (n <= 31) whose first two rows
 * hold queens in columns col0 and col1 (a legal opening: |col0 - col1| > 1).
 * Recursive backtracking over bitmasks, columns tried in increasing order. */
ptrdiff_t ck_nqueens_chunk(ptrdiff_t n, ptrdiff_t col0, ptrdiff_t col1);

/* MARK: - sieve (sieve.c) */

/* Odd numbers per segment: one chunk of the sieve, 8 KiB of bits. */
#define CK_SIEVE_SEGMENT_ODDS 65536

/* The odd primes 3...limit into `primes` (room for (limit + 1) / 2 is ample),
 * found with a plain sieve over the odd numbers in `composite` ((limit + 1) / 2
 * bytes of scratch). Returns how many. */
ptrdiff_t ck_sieve_base_primes(ptrdiff_t limit, uint8_t *composite, ptrdiff_t *primes);
/* How many odd primes lie among the odd numbers 2i + 1 <= n with i in
 * [segment * CK_SIEVE_SEGMENT_ODDS, (segment + 1) * CK_SIEVE_SEGMENT_ODDS),
 * given the odd primes up to at least sqrt(n) in increasing order. */
ptrdiff_t ck_sieve_segment(ptrdiff_t n, ptrdiff_t segment, const ptrdiff_t *primes, ptrdiff_t count);

/* @kernels: declarations of further kernels go above this line, one MARK each. */

#ifdef __cplusplus
}
#endif

#endif /* CKERNELS_H */
