/* k-nucleotide: 2-bit packed k-mers in an open-addressing table. See Kernels/KNucleotide.swift. */
#include "CKernels.h"

#define KN_EMPTY UINT64_MAX

/* A 0, C 1, G 2, T 3 from the ASCII letter (see the unsafe Swift's nucleotideCode). */
static inline uint64_t kn_code(uint8_t letter) {
  return (uint64_t)(((letter >> 1) ^ (letter >> 2)) & 3);
}

/* Adds `count` to `key`'s slot (Fibonacci hash, linear probing); 1 if new. */
static inline ptrdiff_t kn_insert(uint64_t key, uint64_t count, uint64_t *table, ptrdiff_t log2_capacity) {
  const size_t slot_mask = ((size_t)1 << log2_capacity) - 1;
  size_t slot = (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - log2_capacity));
  for (;;) {
    uint64_t *entry = table + 2 * slot;
    if (entry[0] == key) {
      entry[1] += count;
      return 0;
    }
    if (entry[0] == KN_EMPTY) {
      entry[0] = key;
      entry[1] = count;
      return 1;
    }
    slot = (slot + 1) & slot_mask;
  }
}

ptrdiff_t ck_knucleotide_count(const uint8_t *sequence, ptrdiff_t k, ptrdiff_t lo, ptrdiff_t hi,
                               uint64_t *table, ptrdiff_t log2_capacity) {
  const uint64_t mask = (UINT64_C(1) << (2 * k)) - 1;
  uint64_t key = 0;
  for (ptrdiff_t p = lo; p < lo + k - 1; ++p) key = (key << 2) | kn_code(sequence[p]);
  ptrdiff_t added = 0;
  for (ptrdiff_t p = lo; p < hi; ++p) {
    key = ((key << 2) | kn_code(sequence[p + k - 1])) & mask;
    added += kn_insert(key, 1, table, log2_capacity);
  }
  return added;
}

ptrdiff_t ck_knucleotide_merge(uint64_t *destination, ptrdiff_t destination_log2,
                               const uint64_t *source, ptrdiff_t source_log2) {
  ptrdiff_t added = 0;
  const ptrdiff_t slots = (ptrdiff_t)1 << source_log2;
  for (ptrdiff_t slot = 0; slot < slots; ++slot) {
    const uint64_t key = source[2 * slot];
    if (key != KN_EMPTY) added += kn_insert(key, source[2 * slot + 1], destination, destination_log2);
  }
  return added;
}
