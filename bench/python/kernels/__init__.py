"""Plain-Python versions of the SpeedLadder kernels, one module per kernel.

Each module mirrors Sources/Kernels/<Kernel>.swift (the definition: sizes,
input, result) and Sources/Idiomatic/<Kernel>.swift (the algorithm), and
exposes the same small interface, which bench/python/rung.py drives:

    NAME                  the Swift catalogue name ("spectral-norm")
    SIZES                 {"tiny": .., "quick": .., "full": ..} as in Swift
    prepare(size)         input generation and allocation; never timed
    run(state, ex)        one timed run; parallel phases go through
                          ex.map(function, [args, ...]) -> [result, ...]
                          (chunk order kept), so the same chunks run serially,
                          on threads or on processes
    result(state, out)    (text, checksum, values) exactly as the Swift
                          KernelResult of that kernel; never timed
"""

import importlib

# Catalogue order, as Sources/Kernels/Catalogue.swift lists the kernels.
MODULES = {
    "mandelbrot": "mandelbrot",
    "nbody": "nbody",
    "spectral-norm": "spectral_norm",
    "fannkuch-redux": "fannkuch_redux",
    "matmul": "matmul",
    "triad": "triad",
    "sieve": "sieve",
    "binary-trees": "binary_trees",
    "k-nucleotide": "k_nucleotide",
    "nqueens": "nqueens",
}


def load(name):
    """The kernel module for the catalogue name `name`, or None if not written."""
    module = MODULES.get(name)
    if module is None:
        return None
    try:
        return importlib.import_module("kernels." + module)
    except ModuleNotFoundError as error:
        if error.name == "kernels." + module:
            return None
        raise
