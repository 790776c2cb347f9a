"""nqueens in plain Python.

Mirrors Sources/Kernels/NQueens.swift (chunks, result) and
Sources/Idiomatic/NQueens.swift (algorithm): count the placements of n
non-attacking queens by recursive backtracking, one queen a row, columns tried
left to right, with lists of booleans marking occupied columns and diagonals.
One chunk per legal placement of the first two rows, (c0, c1) with
|c0 - c1| > 1 in lexicographic order (n² - 3n + 2 chunks); each chunk counts
its completions recursively and the counts are added in chunk order.

Result: text "solutions S", checksum FNV-1a of S (little-endian 64-bit word).
"""

from __future__ import annotations

from kernels.support import fnv1a_word

NAME = "nqueens"
SIZES = {"tiny": 8, "quick": 12, "full": 14}


def validate(n):
    if not 4 <= n <= 17:
        raise ValueError("n (an n×n board) must be in 4...17")


def completions(n: int, row: int, columns: list[bool], diagonals: list[bool], anti_diagonals: list[bool]) -> int:
    """The ways to fill rows row..<n."""
    if row == n:
        return 1
    total = 0
    for column in range(n):
        d, a = row + column, row - column + n - 1
        if columns[column] or diagonals[d] or anti_diagonals[a]:
            continue
        columns[column] = diagonals[d] = anti_diagonals[a] = True
        total += completions(n, row + 1, columns, diagonals, anti_diagonals)
        columns[column] = diagonals[d] = anti_diagonals[a] = False
    return total


def opening(n: int, c0: int, c1: int) -> int:
    """Completions of the board with queens at (0, c0) and (1, c1)."""
    columns = [False] * n
    diagonals = [False] * (2 * n - 1)
    anti_diagonals = [False] * (2 * n - 1)
    for row, column in ((0, c0), (1, c1)):
        columns[column] = diagonals[row + column] = anti_diagonals[row - column + n - 1] = True
    return completions(n, 2, columns, diagonals, anti_diagonals)


def prepare(n):
    return {"n": n, "openings": [(c0, c1) for c0 in range(n) for c1 in range(n) if abs(c0 - c1) > 1]}


def run(state, ex):
    n = state["n"]
    return sum(ex.map(opening, [(n, c0, c1) for c0, c1 in state["openings"]]))


def result(state, solutions):
    return "solutions %d" % solutions, fnv1a_word(solutions), []
