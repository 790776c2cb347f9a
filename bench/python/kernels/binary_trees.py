"""binary-trees in plain Python.

Mirrors Sources/Kernels/BinaryTrees.swift (chunks, text, result) and
Sources/Idiomatic/BinaryTrees.swift (algorithm): build perfect binary trees
node by node and count their nodes. Chunk 0 is the stretch tree (depth max+1),
chunk 1 the long-lived tree (depth max), then for each depth 4, 6, ..., max
sixteen chunks sharing that depth's 2^(max - depth + 4) trees (chunk_range).
Each node is a small object (a tuple of its children, None at the leaves), as a
Python programmer writes it; CPython frees each tree by reference counting.

Result: the Benchmarks Game's text lines (tab-separated), checksum FNV-1a of
the text's UTF-8 bytes, no values.
"""

from __future__ import annotations

from typing import Any

from kernels.support import chunk_range, fnv1a_bytes

NAME = "binary-trees"
SIZES = {"tiny": 10, "quick": 16, "full": 19}
MIN_DEPTH = 4
RUNS_PER_DEPTH = 16


def validate(n):
    if not 6 <= n <= 21:
        raise ValueError("max depth must be in 6...21")


def make_tree(depth: int) -> tuple[Any, Any]:
    if depth == 0:
        return (None, None)
    depth -= 1
    return (make_tree(depth), make_tree(depth))


def check_tree(node: tuple[Any, Any]) -> int:
    left, right = node
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(right)


def check(depth: int, trees: int) -> int:
    """Nodes in `trees` fresh trees of `depth`, built and dropped one at a time."""
    total = 0
    for _ in range(trees):
        total += check_tree(make_tree(depth))
    return total


def iterations(depth, max_depth):
    return 1 << (max_depth - depth + MIN_DEPTH)


def chunk(index, max_depth):
    """(depth, trees) of chunk `index`."""
    if index == 0:
        return max_depth + 1, 1
    if index == 1:
        return max_depth, 1
    depth = MIN_DEPTH + 2 * ((index - 2) // RUNS_PER_DEPTH)
    run_index = (index - 2) % RUNS_PER_DEPTH
    return depth, len(chunk_range(run_index, RUNS_PER_DEPTH, iterations(depth, max_depth)))


def chunk_count(max_depth):
    return 2 + RUNS_PER_DEPTH * ((max_depth - MIN_DEPTH) // 2 + 1)


def prepare(max_depth):
    return {"max_depth": max_depth,
            "chunks": [chunk(i, max_depth) for i in range(chunk_count(max_depth))]}


def run(state, ex):
    return ex.map(check, state["chunks"])


def result(state, checks):
    max_depth = state["max_depth"]
    lines = ["stretch tree of depth %d\t check: %d" % (max_depth + 1, checks[0])]
    index = 2
    for depth in range(MIN_DEPTH, max_depth + 1, 2):
        total = sum(checks[index:index + RUNS_PER_DEPTH])
        index += RUNS_PER_DEPTH
        lines.append("%d\t trees of depth %d\t check: %d" % (iterations(depth, max_depth), depth, total))
    lines.append("long lived tree of depth %d\t check: %d" % (max_depth, checks[1]))
    text = "\n".join(lines)
    return text, fnv1a_bytes(text.encode("utf-8")), []
