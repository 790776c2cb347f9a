/*
 * CMachineLimits: the probes that measure what this machine can do at most,
 * so the harness can say what fraction of it a benchmark reaches.
 *
 * Portable C11 plus the GCC/Clang vector extensions (`__attribute__((vector_size))`):
 * no intrinsics, nothing x86-specific, so it builds for arm64 as well as x86-64.
 * The vector width and whether a multiply-add is fused are whatever this target
 * was compiled for: the release build (-O2, no -march) probes SSE2 with a
 * separate multiply and add; `-Xcc -march=native` probes the native ISA.
 * No threads here: the Swift side (Sources/MachineLimits) owns them and calls
 * the chunk functions from them. Sizes and indices are ptrdiff_t (Swift's Int).
 */
#ifndef CMACHINELIMITS_H
#define CMACHINELIMITS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - What this file was compiled for (probes.c) */

/* Bytes in the vector type the multiply-add probe uses: the widest registers the
 * target flags allow (64 with AVX-512F, 32 with AVX, else 16: SSE2 or NEON). */
int ml_vector_bytes(void);
/* 1 when `x * m + a` compiles to one fused multiply-add (x86 with __FMA__, any
 * arm64), 0 when it is a multiply and a separate add (baseline x86-64). */
int ml_fused_multiply_add(void);
/* How many independent accumulator chains the multiply-add probe keeps in
 * registers: 14 on x86 without AVX-512 (16 registers), else 16. */
int ml_multiply_add_chains(void);
/* Double-precision lanes advanced by one call of ml_multiply_add per iteration:
 * ml_multiply_add_chains() × ml_vector_bytes() / 8. */
ptrdiff_t ml_multiply_add_lanes(void);

/* MARK: - What compiled the C targets (compiler.c) */

/* 1 when this file was compiled with optimisation (__OPTIMIZE__), else 0. */
int ml_is_optimized(void);
/* The compiler that built the C targets, e.g. "Clang 21.0.0 (...)". */
const char *ml_compiler_version(void);
/* The vector instruction sets the C targets were compiled for, space-separated
   ("sse2 avx avx2 fma avx512f avx512vl " under -march=native on AVX-512). */
const char *ml_target_features(void);

/* MARK: - Peak multiply-add throughput (probes.c) */

/* Runs `iterations` rounds of acc = acc * m + a on every lane of every chain,
 * all in registers, and returns the sum of the lanes (so nothing is dead).
 * One round is ml_multiply_add_lanes() multiply-adds, i.e. twice that in flops.
 * With 0 < m < 1 the accumulators converge to a / (1 - m) and stay finite. */
double ml_multiply_add(ptrdiff_t iterations, double m, double a);

/* Double-precision lanes in the probes' vector type (vector bytes / 8). */
ptrdiff_t ml_lanes(void);

/* MARK: - Divide and square-root throughput (probes.c) */

/* `iterations` rounds of acc = d / acc on every lane of every chain: one
 * round is ml_multiply_add_chains() × ml_lanes() divides. Returns the lanes'
 * sum (so nothing is dead); d = 2 keeps every value normal. */
double ml_divide(ptrdiff_t iterations, double d);
/* `iterations` rounds of acc = sqrt(acc + 1): one square root per lane and chain. */
double ml_square_root(ptrdiff_t iterations);
/* `iterations` rounds of acc = d / sqrt(acc + 1): one square root and one
 * divide per lane and chain, nbody's pair (its distance and its 1 / d³). */
double ml_divide_square_root(ptrdiff_t iterations, double d);

/* MARK: - The register width of compiled code (probes.c) */

/* The widest register (512, 256, 128 bits) any packed-double fused
 * multiply-add uses among `bytes` bytes of machine code at `code`; 0 when
 * none is found or the target is not x86-64. Reads code, never runs it. */
int ml_fma_register_bits(const void *code, ptrdiff_t bytes);
/* The address of ml_multiply_add's machine code, to read it back. */
const void *ml_multiply_add_code(void);

/* MARK: - Memory bandwidth (probes.c) */

/* Elements [lo, hi): b[i] = 1 + (i mod 8), c[i] = 2, a[i] = 0. Called from the
 * thread that will later run the triad on [lo, hi), so first touch places the
 * pages on that thread's memory node. */
void ml_triad_fill(double *a, double *b, double *c, ptrdiff_t lo, ptrdiff_t hi);
/* Elements [lo, hi) of STREAM's triad: a[i] = b[i] + s * c[i]. */
void ml_triad(double *restrict a, const double *restrict b, const double *restrict c, double s,
              ptrdiff_t lo, ptrdiff_t hi);
/* `repeats` passes of the triad over [0, n), each one really done: the cache
 * probes' loop, over arrays small enough to stay in one cache level. */
void ml_triad_repeat(double *restrict a, const double *restrict b, const double *restrict c, double s,
                     ptrdiff_t n, ptrdiff_t repeats);

#ifdef __cplusplus
}
#endif

#endif
