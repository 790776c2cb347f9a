/* binary-trees: perfect trees in an arena of Int32 child indices. See Kernels/BinaryTrees.swift. */
#include "CKernels.h"

/* Builds a tree of `depth` from node *next on; returns its root. */
static int32_t bt_build(ptrdiff_t depth, int32_t *arena, int32_t *next) {
  const int32_t node = (*next)++;
  const ptrdiff_t slot = 2 * (ptrdiff_t)node;
  if (depth > 0) {
    const int32_t left = bt_build(depth - 1, arena, next);
    const int32_t right = bt_build(depth - 1, arena, next);
    arena[slot] = left;
    arena[slot + 1] = right;
  } else {
    arena[slot] = -1;
    arena[slot + 1] = -1;
  }
  return node;
}

/* The number of nodes of the tree rooted at `node`. */
static ptrdiff_t bt_check(int32_t node, const int32_t *arena) {
  const ptrdiff_t slot = 2 * (ptrdiff_t)node;
  const int32_t left = arena[slot];
  if (left < 0) return 1;
  return 1 + bt_check(left, arena) + bt_check(arena[slot + 1], arena);
}

ptrdiff_t ck_binary_trees(ptrdiff_t depth, ptrdiff_t trees, int32_t *arena) {
  ptrdiff_t total = 0;
  for (ptrdiff_t t = 0; t < trees; ++t) {
    int32_t next = 0;
    const int32_t root = bt_build(depth, arena, &next);
    total += bt_check(root, arena);
  }
  return total;
}
