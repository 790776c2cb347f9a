/* The machine-limit probes: peak multiply-add throughput and STREAM triad. */
#include "CMachineLimits.h"

/* Contract `x * m + a` into one fused multiply-add wherever the target has one
 * (Clang's default already; this says so in standard C). Without FMA in the
 * target (baseline x86-64) it stays a multiply and an add: that is the point. */
#pragma STDC FP_CONTRACT ON

/* MARK: - The vector type */

#if defined(__AVX512F__)
#define ML_VECTOR_BYTES 64
#elif defined(__AVX__)
#define ML_VECTOR_BYTES 32
#else
#define ML_VECTOR_BYTES 16
#endif

/* Chains: a chain of dependent multiply-adds issues one step per latency, so
 * peak needs latency × pipes of them in flight. Without FMA a step is a
 * multiply and a dependent add: on Zen 4 about 7 cycles (3 + 3 + forwarding),
 * and its 2 multiply and 2 add pipes need 14 chains, which is also all that
 * x86's 16 SSE/AVX registers hold beside the two constants (measured there:
 * 8 → 17, 12 → 24, 14 → 26 GFLOP/s, 16 → 15 as accumulators spill). AVX-512
 * and arm64 have 32 registers; 16 chains cover 2 FMA pipes × 4 cycles (Zen 4/5,
 * Intel) and 4 × 4 (Apple M-series). */
#if defined(__AVX512F__) || defined(__aarch64__)
#define ML_CHAINS 16
#else
#define ML_CHAINS 14
#endif

typedef double ml_vd __attribute__((vector_size(ML_VECTOR_BYTES)));
#define ML_LANES (ML_VECTOR_BYTES / 8)

int ml_vector_bytes(void) { return ML_VECTOR_BYTES; }

int ml_fused_multiply_add(void) {
#if defined(__FMA__) || defined(__aarch64__)
  return 1;
#else
  return 0;
#endif
}

int ml_multiply_add_chains(void) { return ML_CHAINS; }

ptrdiff_t ml_multiply_add_lanes(void) { return (ptrdiff_t)ML_CHAINS * ML_LANES; }

/* MARK: - Peak multiply-add throughput */

double ml_multiply_add(ptrdiff_t iterations, double m, double a) {
  ml_vd acc[ML_CHAINS];
  const ml_vd vm = (ml_vd){0} + m, va = (ml_vd){0} + a;
  /* Distinct starting values, so no two chains are provably equal. */
  for (int k = 0; k < ML_CHAINS; ++k) acc[k] = (ml_vd){0} + (double)k;
  for (ptrdiff_t i = 0; i < iterations; ++i) {
    /* Constant trip count: fully unrolled, one register per chain. */
    for (int k = 0; k < ML_CHAINS; ++k) acc[k] = acc[k] * vm + va;
  }
  /* The result is the barrier: every lane of every chain feeds the return. */
  double sum = 0;
  for (int k = 0; k < ML_CHAINS; ++k) {
    for (int l = 0; l < ML_LANES; ++l) sum += acc[k][l];
  }
  return sum;
}

/* MARK: - Memory bandwidth */

void ml_triad_fill(double *a, double *b, double *c, ptrdiff_t lo, ptrdiff_t hi) {
  for (ptrdiff_t i = lo; i < hi; ++i) {
    a[i] = 0;
    b[i] = (double)(1 + (i & 7));
    c[i] = 2;
  }
}

void ml_triad(double *restrict a, const double *restrict b, const double *restrict c, double s,
              ptrdiff_t lo, ptrdiff_t hi) {
  for (ptrdiff_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
  /* The stores reach memory: the caller reads a, but say so to the optimiser. */
  __asm__ volatile("" : : "r"(a) : "memory");
}
