/* The machine-limit probes: peak multiply-add throughput and STREAM triad. */
#include "CMachineLimits.h"

#include <string.h>

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

/* MARK: - Divide and square-root throughput */

/* Lane-wise square root: clang's builtin is one vector instruction; a compiler
 * without it gets a lane loop (slower, and the probe then measures that). */
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define ML_SQRT(v) __builtin_elementwise_sqrt(v)
#endif
#endif
#ifndef ML_SQRT
#include <math.h>
static inline ml_vd ml_sqrt_lanes(ml_vd v) {
  for (int l = 0; l < ML_LANES; ++l) v[l] = sqrt(v[l]);
  return v;
}
#define ML_SQRT(v) ml_sqrt_lanes(v)
#endif

/* Every probe below keeps ML_CHAINS independent chains, so a divider that
 * starts one operation every few cycles but takes a dozen to finish one is
 * kept busy; each chain's value stays normal and never an exact, trivial
 * operand (a divider may finish those early). */
static double ml_sum(const ml_vd *acc) {
  double sum = 0;
  for (int k = 0; k < ML_CHAINS; ++k) {
    for (int l = 0; l < ML_LANES; ++l) sum += acc[k][l];
  }
  return sum;
}

double ml_divide(ptrdiff_t iterations, double d) {
  ml_vd acc[ML_CHAINS];
  const ml_vd vd = (ml_vd){0} + d;
  for (int k = 0; k < ML_CHAINS; ++k) acc[k] = (ml_vd){0} + (1.5 + (double)k);
  /* acc alternates between x and d / x: one divide a step, finite forever. */
  for (ptrdiff_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < ML_CHAINS; ++k) acc[k] = vd / acc[k];
  }
  return ml_sum(acc);
}

double ml_square_root(ptrdiff_t iterations) {
  ml_vd acc[ML_CHAINS];
  const ml_vd one = (ml_vd){0} + 1.0;
  for (int k = 0; k < ML_CHAINS; ++k) acc[k] = (ml_vd){0} + (double)k;
  /* acc converges to the golden ratio: one square root (and an add) a step. */
  for (ptrdiff_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < ML_CHAINS; ++k) acc[k] = ML_SQRT(acc[k] + one);
  }
  return ml_sum(acc);
}

double ml_divide_square_root(ptrdiff_t iterations, double d) {
  ml_vd acc[ML_CHAINS];
  const ml_vd vd = (ml_vd){0} + d, one = (ml_vd){0} + 1.0;
  for (int k = 0; k < ML_CHAINS; ++k) acc[k] = (ml_vd){0} + (double)k;
  /* nbody's pair: a square root and a divide by it (x -> d / sqrt(x + 1)),
   * converging to the root of x^3 + x^2 = d^2, about 1.31 for d = 2. */
  for (ptrdiff_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < ML_CHAINS; ++k) acc[k] = vd / ML_SQRT(acc[k] + one);
  }
  return ml_sum(acc);
}

ptrdiff_t ml_lanes(void) { return ML_LANES; }

/* MARK: - The register width of compiled code, read back */

/* Decodes the fused multiply-adds (vfmadd132/213/231pd, packed double) among
 * the first `bytes` bytes of machine code at `code`, and returns the widest
 * register they use: 512 (EVEX, L'L = 10), 256 or 128; 0 when there is none
 * or the target is not x86-64. A scan, not a disassembler: it looks for the
 * three opcodes behind a VEX3 (C4) or EVEX (62) prefix whose map (0F38),
 * operand-size prefix (66) and W bit (double) all match, which other
 * instructions' bytes match by chance too rarely to matter for a function
 * that is nothing but such multiply-adds. */
int ml_fma_register_bits(const void *code, ptrdiff_t bytes) {
#if defined(__x86_64__)
  const unsigned char *p = (const unsigned char *)code;
  /* A thunk (Swift's @_cdecl entry: push rbp; mov rbp, rsp; pop rbp; jmp F)
   * holds no multiply-add: follow its first jmp rel32 (E9) once. */
  for (ptrdiff_t i = 0; i < 16 && i + 5 <= bytes; ++i) {
    if (p[i] == 0xE9 && (i == 0 || p[i - 1] == 0x5D)) {
      int32_t offset;
      memcpy(&offset, p + i + 1, sizeof offset);
      p = p + i + 5 + offset;
      break;
    }
  }
  int widest = 0;
  for (ptrdiff_t i = 0; i + 4 < bytes; ++i) {
    unsigned char op;
    int bits;
    if (p[i] == 0x62 && (p[i + 1] & 0x0F) == 0x02 && (p[i + 2] & 0x87) == 0x85) {
      op = p[i + 4];
      int ll = (p[i + 3] >> 5) & 3;
      bits = ll == 2 ? 512 : ll == 1 ? 256 : 128;
    } else if (p[i] == 0xC4 && (p[i + 1] & 0x1F) == 0x02 && (p[i + 2] & 0x83) == 0x81) {
      op = p[i + 3];
      bits = (p[i + 2] & 0x04) ? 256 : 128;
    } else {
      continue;
    }
    if ((op == 0x98 || op == 0xA8 || op == 0xB8) && bits > widest) widest = bits;
  }
  return widest;
#else
  (void)code;
  (void)bytes;
  return 0;
#endif
}

const void *ml_multiply_add_code(void) { return (const void *)&ml_multiply_add; }

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

void ml_triad_repeat(double *restrict a, const double *restrict b, const double *restrict c, double s,
                     ptrdiff_t n, ptrdiff_t repeats) {
  for (ptrdiff_t r = 0; r < repeats; ++r) {
    for (ptrdiff_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    /* Each pass is done again, not folded into one: the barrier says the
     * arrays may have been read and changed in between. */
    __asm__ volatile("" : : "r"(a), "r"(b), "r"(c) : "memory");
  }
}
