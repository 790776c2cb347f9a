/* sieve: count the primes <= n with a segmented sieve of Eratosthenes. See Kernels/Sieve.swift. */
#include "CKernels.h"

/* Set bits in a word, by the portable SWAR method (clang turns it into a
 * popcount instruction where the target has one, as Swift's nonzeroBitCount). */
static ptrdiff_t ck_sieve_popcount(uint64_t w) {
  w = w - ((w >> 1) & 0x5555555555555555u);
  w = (w & 0x3333333333333333u) + ((w >> 2) & 0x3333333333333333u);
  w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fu;
  return (ptrdiff_t)((w * 0x0101010101010101u) >> 56);
}

ptrdiff_t ck_sieve_base_primes(ptrdiff_t limit, uint8_t *composite, ptrdiff_t *primes) {
  /* composite[i] stands for the odd number 2i + 1; i = 0 (the number 1) is skipped. */
  const ptrdiff_t odds = (limit + 1) / 2;
  for (ptrdiff_t i = 0; i < odds; ++i) composite[i] = 0;
  ptrdiff_t count = 0;
  for (ptrdiff_t i = 1; i < odds; ++i) {
    if (composite[i]) continue;
    const ptrdiff_t p = 2 * i + 1;
    primes[count++] = p;
    for (ptrdiff_t j = (p * p - 1) / 2; j < odds; j += p) composite[j] = 1;
  }
  return count;
}

ptrdiff_t ck_sieve_segment(ptrdiff_t n, ptrdiff_t segment, const ptrdiff_t *primes, ptrdiff_t count) {
  /* Bit j of `bits` stands for the odd number 2(first + j) + 1. */
  uint64_t bits[CK_SIEVE_SEGMENT_ODDS / 64];
  const ptrdiff_t odds = (n + 1) / 2;
  const ptrdiff_t first = segment * CK_SIEVE_SEGMENT_ODDS;
  const ptrdiff_t size = odds - first < CK_SIEVE_SEGMENT_ODDS ? odds - first : CK_SIEVE_SEGMENT_ODDS;
  const ptrdiff_t low = 2 * first + 1, high = 2 * (first + size) - 1; /* odd numbers in the segment */
  for (ptrdiff_t w = 0; w < CK_SIEVE_SEGMENT_ODDS / 64; ++w) bits[w] = 0;
  if (segment == 0) bits[0] = 1; /* 1 is not prime */

  for (ptrdiff_t k = 0; k < count; ++k) {
    const ptrdiff_t p = primes[k];
    if (p * p > high) break;
    /* The first odd multiple of p in the segment that is at least p². */
    ptrdiff_t m = p * p;
    if (m < low) {
      m = low + (p - low % p) % p;
      if ((m & 1) == 0) m += p;
    }
    for (ptrdiff_t j = (m - low) / 2; j < size; j += p) bits[j >> 6] |= (uint64_t)1 << (j & 63);
  }

  /* Count the zero bits among the first `size`; bits past `size` are set first. */
  if (size % 64 != 0) bits[size / 64] |= ~(uint64_t)0 << (size % 64);
  ptrdiff_t primes_here = 0;
  for (ptrdiff_t w = 0; w < (size + 63) / 64; ++w) primes_here += 64 - ck_sieve_popcount(bits[w]);
  return primes_here;
}
