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

/* MARK: - triad (triad.c) */

/* STREAM triad over indices [lo, hi): a[i] = b[i] + s*c[i], in place. */
void ck_triad(double *a, const double *b, const double *c, double s, ptrdiff_t lo, ptrdiff_t hi);

/* MARK: - binary-trees (binary_trees.c) */

/* The sum of the node counts of `trees` perfect trees of `depth`, each built
 * in `arena` and discarded by reusing it. The arena holds 2^(depth+1) - 1
 * nodes; node i's children are arena[2i] and arena[2i+1], -1 for none. */
ptrdiff_t ck_binary_trees(ptrdiff_t depth, ptrdiff_t trees, int32_t *arena);

/* MARK: - k-nucleotide (k_nucleotide.c) */

/* Hash tables: 1 << log2_capacity slots (3 <= log2_capacity < 64) of two
 * uint64_t, key then count; empty slots have key UINT64_MAX. Keys are k-mers
 * packed two bits a letter (A 0, C 1, G 2, T 3, first letter most significant).
 * The caller sizes tables so they never fill. */

/* Counts the k-mers (1 <= k <= 31) starting at positions [lo, hi) of the ASCII
 * `sequence` (A, C, G, T; at least hi + k - 1 letters) into `table`; returns
 * the number of keys added. */
ptrdiff_t ck_knucleotide_count(const uint8_t *sequence, ptrdiff_t k, ptrdiff_t lo, ptrdiff_t hi,
                               uint64_t *table, ptrdiff_t log2_capacity);
/* Adds every (key, count) of `source` to `destination`; returns the number of
 * keys that were new. */
ptrdiff_t ck_knucleotide_merge(uint64_t *destination, ptrdiff_t destination_log2,
                               const uint64_t *source, ptrdiff_t source_log2);

/* @kernels: declarations of further kernels go above this line, one MARK each. */

#ifdef __cplusplus
}
#endif

#endif /* CKERNELS_H */
