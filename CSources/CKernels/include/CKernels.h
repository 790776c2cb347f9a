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

/* MARK: - mandelbrot (mandelbrot.c) */

/* Rows [lo, hi) of the n×n Benchmarks Game bitmap: bit x of row y is 1 when
 * the point stays bounded for 50 iterations. Row y occupies bytes
 * [y*(n+7)/8, (y+1)*(n+7)/8) of `bitmap`, most significant bit first. */
void ck_mandelbrot_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, uint8_t *bitmap);

/* MARK: - nbody (nbody.c) */

/* One symplectic-Euler step of dt for bodies [lo, hi) of n. Each body's
 * velocity takes the pull of every other body (positions read from `pos`), then
 * its new position is written to `next`; `pos` is only read, so chunks may run
 * concurrently, and the caller swaps `pos` and `next` after the step. `pos`,
 * `vel` and `next` are structure-of-arrays: x[0..n), then y, then z. */
void ck_nbody_advance(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, double dt,
                      const double *pos, const double *mass, double *vel, double *next);
/* The Benchmarks Game energy: kinetic minus pairwise potential (G = 1). */
double ck_nbody_energy(ptrdiff_t n, const double *pos, const double *vel, const double *mass);

/* MARK: - spectral-norm (spectral_norm.c) */

/* Rows [lo, hi) of A·u, where A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1) is n×n:
 * out[i] = sum over j of A(i, j)·u[j], added in order j = 0, 1, …, n-1. */
void ck_spectral_norm_a_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                double *out);
/* Rows [lo, hi) of Aᵀ·u: out[i] = sum over j of A(j, i)·u[j], in order of j. */
void ck_spectral_norm_at_times_u(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *u,
                                 double *out);
/* a[0]·b[0] + a[1]·b[1] + … + a[n-1]·b[n-1], added in that order. */
double ck_spectral_norm_dot(ptrdiff_t n, const double *a, const double *b);

/* MARK: - matmul (matmul.c) */

/* Rows [lo, hi) of C = A·B for n×n row-major matrices, in i-k-j order: row i of
 * C is zeroed, then gains a[i][k] times row k of B for k = 0, 1, …, n-1. The
 * three matrices must not overlap. */
void ck_matmul_rows(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, const double *restrict a,
                    const double *restrict b, double *restrict c);
/* MARK: - fannkuch-redux (fannkuch_redux.c) */

/* Permutations [lo, hi) of 0..<n in the Benchmarks Game's order (n <= 15, held one byte
 * an element in two 64-bit words):
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
/* MARK: - latency (latency.c) */

/* The seed of request 0's reply; request i starts from this xor i·0x9e3779b97f4a7c15. */
#define CK_LATENCY_SEED 0x1a7e9c5e9d2b4f31ULL

/* Waits `nanoseconds` with nanosleep (restarted after a signal): the simulated
 * round trip of one request. Uses no CPU while it waits. */
void ck_latency_wait(int64_t nanoseconds);
/* The little CPU work done on request `request`'s reply: `rounds` SplitMix64
 * draws from the request's seed, each xored into a digest that is then rotated
 * left by 5. Returns the digest. */
uint64_t ck_latency_work(ptrdiff_t request, ptrdiff_t rounds);

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
