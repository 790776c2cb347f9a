/* nqueens: count the placements of n non-attacking queens. See Kernels/NQueens.swift. */
#include "CKernels.h"

/* Completions of a board whose rows so far attack the columns in `cols` and,
 * in the next row, the columns in `left` and `right` (the diagonals, shifted
 * one column per row). Columns are tried in increasing order, lowest bit first. */
static ptrdiff_t ck_nqueens_place(uint32_t all, uint32_t cols, uint32_t left, uint32_t right) {
  if (cols == all) return 1;
  ptrdiff_t solutions = 0;
  uint32_t free = all & ~(cols | left | right);
  while (free != 0) {
    const uint32_t bit = free & (0u - free); /* lowest free column */
    free ^= bit;
    solutions += ck_nqueens_place(all, cols | bit, (left | bit) << 1, (right | bit) >> 1);
  }
  return solutions;
}

ptrdiff_t ck_nqueens_chunk(ptrdiff_t n, ptrdiff_t col0, ptrdiff_t col1) {
  const uint32_t all = (uint32_t)((1ull << n) - 1);
  const uint32_t bit0 = 1u << col0, bit1 = 1u << col1;
  /* Row 1 must be legal after row 0: the kernel only passes such openings. */
  const uint32_t left = (bit0 << 1 | bit1) << 1, right = (bit0 >> 1 | bit1) >> 1;
  return ck_nqueens_place(all, bit0 | bit1, left, right);
}
