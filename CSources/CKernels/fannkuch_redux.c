/* fannkuch-redux: the Benchmarks Game's pancake flips. See Kernels/FannkuchRedux.swift. */
#include "CKernels.h"

#include <stdint.h>

/* A permutation of up to 15 elements held in two 64-bit registers, one byte an
 * element: element i is byte i % 8 of `lo` (i < 8) or of `hi` (i >= 8), the
 * lowest byte first. Flips and rotations become a few shifts and masks instead
 * of loops over an array whose lengths are data (and whose exits the branch
 * predictor cannot learn). */
typedef struct {
  uint64_t lo, hi;
} ck_perm16;

static const uint64_t ck_ones = ~(uint64_t)0;

/* Reverses elements 0..m-1, 2 <= m <= 15, without a branch on m. Byte-swapping
 * a word reverses its eight elements; a shift right by 8 - m bytes moves the
 * reversed prefix down to byte 0, and a mask keeps the elements beyond it. A
 * prefix of more than 8 (m = 8 + r) takes the r reversed low bytes of `hi`
 * followed by all of `lo` reversed, and `hi` keeps its bytes from r on. Both
 * cases are computed (their shift counts masked to 0..63 so that both are
 * defined) and one is selected, which compiles to conditional moves. */
static inline ck_perm16 ck_reverse_prefix(ck_perm16 p, unsigned m) {
  const uint64_t rlo = __builtin_bswap64(p.lo), rhi = __builtin_bswap64(p.hi);
  const unsigned drop = (64 - 8 * m) & 63;      /* m <= 8: bits of rlo past the prefix */
  const unsigned r = (m - 8) & 7;               /* m > 8: the prefix's elements in hi */
  const unsigned keep = (64 - 8 * r) & 63;
  const uint64_t lo_short = (rlo >> drop) | (p.lo & ~(ck_ones >> drop));
  const uint64_t lo_long = (rhi >> keep) | (rlo << (8 * r));
  const uint64_t hi_long = (rlo >> keep) | (p.hi & ~(ck_ones >> keep));
  const int short_prefix = m <= 8;
  return (ck_perm16){short_prefix ? lo_short : lo_long, short_prefix ? p.hi : hi_long};
}

/* Rotates elements 0..i left by one (element 0 moves to i), 1 <= i <= 14. */
static inline ck_perm16 ck_rotate_prefix(ck_perm16 p, unsigned i) {
  const uint64_t first = p.lo & 0xFF;
  if (i < 8) {
    const uint64_t mask = ck_ones >> (56 - 8 * i); /* bytes 0..i */
    p.lo = (p.lo & ~mask) | ((p.lo & mask) >> 8) | (first << (8 * i));
  } else { /* rare: once every 8! permutations */
    const uint64_t mask = ck_ones >> (64 - 8 * (i - 7)); /* bytes 8..i of hi */
    p.lo = (p.lo >> 8) | (p.hi << 56);
    p.hi = (p.hi & ~mask) | ((p.hi & mask) >> 8) | (first << (8 * (i - 8)));
  }
  return p;
}

ptrdiff_t ck_fannkuch_redux_chunk(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t *max_flips) {
  ptrdiff_t count[16] = {0};
  ptrdiff_t checksum = 0, most = 0;
  ck_perm16 perm = {0, 0};
  for (ptrdiff_t i = 0; i < n; ++i) {
    if (i < 8) perm.lo |= (uint64_t)i << (8 * i);
    else perm.hi |= (uint64_t)i << (8 * (i - 8));
  }

  /* Permutation number lo: its factorial digits, highest first, say how many
   * times each prefix perm[0...i] has been rotated left by one. */
  ptrdiff_t fact = 1;
  for (ptrdiff_t i = 1; i < n; ++i) fact *= i; /* (n-1)! */
  ptrdiff_t rest = lo;
  for (ptrdiff_t i = n - 1; i > 0; --i) {
    const ptrdiff_t d = rest / fact;
    rest %= fact;
    fact /= i;
    count[i] = d;
    for (ptrdiff_t k = 0; k < d; ++k) perm = ck_rotate_prefix(perm, (unsigned)i);
  }

  for (ptrdiff_t index = lo;;) {
    /* Count the flips: reverse the first perm[0] + 1 elements until 0 leads.
     * Each flip is one dependent step of a few instructions on a copy in
     * registers; the only unpredictable branch is the loop's end. */
    unsigned first = (unsigned)(perm.lo & 0xFF);
    if (first != 0) {
      ck_perm16 p = perm;
      ptrdiff_t flips = 0;
      do {
        p = ck_reverse_prefix(p, first + 1);
        ++flips;
        first = (unsigned)(p.lo & 0xFF);
      } while (first != 0);
      checksum += (index & 1) ? -flips : flips;
      if (flips > most) most = flips;
    }
    if (++index == hi) break;

    /* The next permutation: rotate perm[0...1] left; when that prefix has come
     * full circle, rotate perm[0...2], and so on (an odometer in base i + 1). */
    for (ptrdiff_t i = 1;; ++i) {
      perm = ck_rotate_prefix(perm, (unsigned)i);
      if (++count[i] <= i) break;
      count[i] = 0;
    }
  }
  *max_flips = most;
  return checksum;
}
