"""Numba versions of the SpeedLadder kernels: the plain-Python kernels'
loops, compiled with @njit, over the same chunks.

Each module keeps the plain kernel's input (its prepare, turned into NumPy
arrays), algorithm, float operations in the same order (Numba does not fuse
multiply-adds unless fastmath is on, and it is off), chunks and result, and
exposes, besides NAME, SIZES, validate, prepare and result:

    run_serial(state)       one thread: @njit, the chunks in order
    run_parallel(state)     @njit(parallel=True): prange over the same chunks,
                            on Numba's threads (numba.set_num_threads)
    run_chunks(state, ex)   optional: the chunks as @njit(nogil=True) functions
                            mapped by a Python executor (ThreadPoolExecutor:
                            the GIL is released while a chunk runs)

`parallel_pair(body)` compiles one Python function both ways: prange is range
under plain @njit, so serial and parallel share the source. Nothing is cached
on disk: the first call compiles, and rung.py times that call apart
(compileSeconds, counted in setupSeconds), at the kernel's tiny size.

Kernels Numba cannot sensibly run are in NOT_APPLICABLE with the reason.
"""

import importlib

MODULES = {
    "mandelbrot": "mandelbrot",
    "nbody": "nbody",
    "spectral-norm": "spectral_norm",
    "fannkuch-redux": "fannkuch_redux",
    "matmul": "matmul",
    "triad": "triad",
    "sieve": "sieve",
    "nqueens": "nqueens",
}

#: Kernels whose module has run_chunks (rung.py --impl numba --mode threads):
#: single-phase kernels whose chunks are independent calls.
CHUNK_THREADS = {"mandelbrot", "fannkuch-redux", "sieve", "nqueens"}

NOT_APPLICABLE = {
    "binary-trees": "the kernel allocates one garbage-collected object per node; Numba has no such objects "
                    "(a recursive jitclass needs deferred types and is experimental), and an array-backed tree "
                    "would remove the allocation the kernel measures",
    "k-nucleotide": "dictionary-heavy counting keyed by k-mer strings: a Numba port needs its typed Dict, "
                    "with the k-mers packed into integers to be fast, a different program from the one the "
                    "kernel measures; not written",
    "latency": "it waits on I/O and timers; compiling does not shorten a wait (and it has no Python port)",
}


def load(name):
    """The Numba module for `name`, or None (see NOT_APPLICABLE). Raises
    ImportError when numba (or numpy) is not installed."""
    module = MODULES.get(name)
    return None if module is None else importlib.import_module("numba_kernels." + module)


def parallel_pair(body):
    """(serial, parallel) compilations of `body`, which loops over chunks with prange."""
    from numba import njit

    return njit(nogil=True)(body), njit(parallel=True, nogil=True)(body)
