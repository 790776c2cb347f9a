"""nqueens in Numba: the plain kernel's recursive backtracking with boolean
arrays, compiled; one chunk per legal opening (c0, c1) of the first two rows,
counts added in chunk order."""

import numpy as np
from numba import njit, prange

from kernels.nqueens import NAME, SIZES, result, validate  # noqa: F401
from kernels import nqueens as plain
from numba_kernels import parallel_pair


@njit(nogil=True)
def completions(n, row, columns, diagonals, anti_diagonals):
    """The ways to fill rows row..<n."""
    if row == n:
        return 1
    total = 0
    for column in range(n):
        d = row + column
        a = row - column + n - 1
        if columns[column] or diagonals[d] or anti_diagonals[a]:
            continue
        columns[column] = True
        diagonals[d] = True
        anti_diagonals[a] = True
        total += completions(n, row + 1, columns, diagonals, anti_diagonals)
        columns[column] = False
        diagonals[d] = False
        anti_diagonals[a] = False
    return total


@njit(nogil=True)
def opening(n, c0, c1):
    """Completions of the board with queens at (0, c0) and (1, c1)."""
    columns = np.zeros(n, dtype=np.bool_)
    diagonals = np.zeros(2 * n - 1, dtype=np.bool_)
    anti_diagonals = np.zeros(2 * n - 1, dtype=np.bool_)
    columns[c0] = True
    diagonals[c0] = True
    anti_diagonals[n - 1 - c0] = True
    columns[c1] = True
    diagonals[1 + c1] = True
    anti_diagonals[1 - c1 + n - 1] = True
    return completions(n, 2, columns, diagonals, anti_diagonals)


def _all_openings(n, openings):
    counts = np.zeros(openings.shape[0], dtype=np.int64)
    for c in prange(openings.shape[0]):
        counts[c] = opening(n, openings[c, 0], openings[c, 1])
    return counts.sum()


_serial, _parallel = parallel_pair(_all_openings)


def prepare(n):
    state = plain.prepare(n)
    state["array"] = np.array(state["openings"], dtype=np.int64).reshape(-1, 2)
    return state


def run_serial(state):
    return int(_serial(state["n"], state["array"]))


def run_parallel(state):
    return int(_parallel(state["n"], state["array"]))


def run_chunks(state, ex):
    n = state["n"]
    return sum(ex.map(opening, [(n, c0, c1) for c0, c1 in state["openings"]]))
