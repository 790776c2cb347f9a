/* fannkuch-redux: the Benchmarks Game's pancake flips. See Kernels/FannkuchRedux.swift. */
#include "CKernels.h"

/* The largest n the fixed buffers hold (the kernel accepts n <= 12). */
enum { CK_FANNKUCH_MAX_N = 16 };

ptrdiff_t ck_fannkuch_redux_chunk(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t *max_flips) {
  ptrdiff_t perm[CK_FANNKUCH_MAX_N], count[CK_FANNKUCH_MAX_N], flip[CK_FANNKUCH_MAX_N];
  ptrdiff_t checksum = 0, most = 0;

  /* Permutation number lo: its factorial digits, highest first, say how many
   * times each prefix perm[0...i] has been rotated left by one. */
  ptrdiff_t fact = 1;
  for (ptrdiff_t i = 1; i < n; ++i) fact *= i; /* (n-1)! */
  for (ptrdiff_t i = 0; i < n; ++i) perm[i] = i;
  ptrdiff_t rest = lo;
  for (ptrdiff_t i = n - 1; i > 0; --i) {
    const ptrdiff_t d = rest / fact;
    rest %= fact;
    fact /= i;
    count[i] = d;
    for (ptrdiff_t j = 0; j <= i; ++j) flip[j] = perm[j];
    for (ptrdiff_t j = 0; j <= i; ++j) perm[j] = flip[j + d <= i ? j + d : j + d - i - 1];
  }

  for (ptrdiff_t index = lo;;) {
    /* Count the flips: reverse the first perm[0] + 1 elements until 0 leads. */
    if (perm[0] != 0) {
      for (ptrdiff_t j = 0; j < n; ++j) flip[j] = perm[j];
      ptrdiff_t flips = 0;
      for (ptrdiff_t k = flip[0]; k != 0; k = flip[0]) {
        for (ptrdiff_t a = 0, b = k; a < b; ++a, --b) {
          const ptrdiff_t t = flip[a];
          flip[a] = flip[b];
          flip[b] = t;
        }
        ++flips;
      }
      checksum += (index & 1) ? -flips : flips;
      if (flips > most) most = flips;
    }
    if (++index == hi) break;

    /* The next permutation: rotate perm[0...1] left; when that prefix has come
     * full circle, rotate perm[0...2], and so on (an odometer in base i + 1). */
    for (ptrdiff_t i = 1;; ++i) {
      const ptrdiff_t first = perm[0];
      for (ptrdiff_t j = 0; j < i; ++j) perm[j] = perm[j + 1];
      perm[i] = first;
      if (++count[i] <= i) break;
      count[i] = 0;
    }
  }
  *max_flips = most;
  return checksum;
}
