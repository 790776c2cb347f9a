"""NumPy versions of the SpeedLadder kernels: what a NumPy user writes.

Each module is the plain-Python kernel (bench/python/kernels/<name>.py) with
its inner loops turned into whole-array operations: no Python loop over
elements, only over iterations, steps or base primes. Same input (the same
SplitMix64 seeds and formulas), same size parameter, same result format; the
interface is the plain kernels' (NAME, SIZES, prepare, run, result; `run`
ignores the executor: the arrays are the parallelism there is). A module may
set ROUNDING, one line on why its values are not bit-identical to the Swift
ports' (BLAS or pairwise summation order); rung.py puts it in the note.

Kernels without a natural NumPy form are in NOT_APPLICABLE with the reason;
rung.py answers "not applicable: <reason>" for them (exit 3).
"""

import importlib

MODULES = {
    "mandelbrot": "mandelbrot",
    "nbody": "nbody",
    "spectral-norm": "spectral_norm",
    "matmul": "matmul",
    "triad": "triad",
    "sieve": "sieve",
}

#: Kernels whose NumPy port calls BLAS (@ on matrices): the only ones where
#: NumPy itself can use more than one thread (rung.py --mode parallel sets the
#: BLAS thread count; serial pins it to one).
BLAS = {"matmul", "spectral-norm"}

NOT_APPLICABLE = {
    "fannkuch-redux": "each permutation's flip count is a data-dependent serial loop of prefix "
                      "reversals; there is no whole-array form short of materialising all n! permutations",
    "binary-trees": "the kernel is allocating and walking one heap object per node; an array-backed "
                    "tree would remove exactly the work it measures",
    "k-nucleotide": "the kernel is hash-table counting; NumPy has no hash table (np.unique would count "
                    "by sorting, a different algorithm)",
    "nqueens": "recursive backtracking with data-dependent pruning; no array form",
    "latency": "it waits on I/O and timers, not on arithmetic (and has no Python port)",
}


def load(name):
    """The NumPy module for catalogue name `name`, or None (see NOT_APPLICABLE)."""
    module = MODULES.get(name)
    return None if module is None else importlib.import_module("numpy_kernels." + module)
