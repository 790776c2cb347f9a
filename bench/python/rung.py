#!/usr/bin/env python3
"""One interpreted rung of the SpeedLadder: a kernel under CPython, PyPy, a
Cython build, NumPy or Numba, timed the way the Swift harness times its cells
(Sources/Harness/Runner.swift), printed as one JSON object on stdout.

The protocol (arguments, JSON fields, exit codes) is written down in
bench/python/PROTOCOL.md; the Swift harness relies on it.

    python3 bench/python/rung.py --kernel mandelbrot --size 1000
    pypy3   bench/python/rung.py --kernel nbody --size 160 --samples 3
    python3 bench/python/rung.py --kernel sieve --size 1000000 --impl cython
    python3 bench/python/rung.py --kernel mandelbrot --size 1000 --mode processes --workers 2
    python3 bench/python/rung.py --kernel matmul --size 320 --impl numpy
    python3 bench/python/rung.py --kernel nbody --size 160 --impl numba --mode parallel --workers 2
    python3 bench/python/rung.py --kernel mandelbrot --size 1000 --impl numba --mode threads --workers 2
    python3 bench/python/rung.py --list
"""

import argparse
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CYTHON_CACHE = os.path.join(os.path.dirname(HERE), ".cache", "cython")
MYPYC_CACHE = os.path.join(os.path.dirname(HERE), ".cache", "mypyc")
sys.path.insert(0, HERE)

import kernels  # noqa: E402  (needs HERE on sys.path)
import numba_kernels  # noqa: E402  (imports neither numpy nor numba until a kernel is loaded)
import numpy_kernels  # noqa: E402
from kernels.support import SerialExecutor, hex16  # noqa: E402
from sampling import take_samples  # noqa: E402

EXIT_USAGE = 2
EXIT_NOT_IMPLEMENTED = 3
EXIT_CYTHON_MISSING = 4
EXIT_LIBRARY_MISSING = 5

IMPLS = ["python", "cython", "mypyc", "numpy", "numba", "mojo", "mojo-simd"]
#: The modes each --impl takes (threads for numba: the kernels in
#: numba_kernels.CHUNK_THREADS; parallel for numpy: numpy_kernels.BLAS).
IMPL_MODES = {
    "python": ["serial", "threads", "processes"],
    "cython": ["serial", "threads", "processes"],
    "mypyc": ["serial"],
    "numpy": ["serial", "parallel"],
    "numba": ["serial", "parallel", "threads"],
    "mojo": ["serial", "parallel"],
    "mojo-simd": ["serial", "parallel"],
}

#: A first run at least this long is warm-up enough (the brief: skip warm-up
#: when a single run takes more than a second).
LONG_RUN_SECONDS = 1.0

CYTHON_HINT = "pip install cython, then python3 bench/python/build_cython.py"
MYPYC_HINT = "pip install mypy, then python3 bench/python/build_mypyc.py"
LIBRARY_HINT = {
    "numpy": "numpy not installed: pip install numpy (add --break-system-packages if pip refuses)",
    "numba": "numba not installed: pip install numba (add --break-system-packages if pip refuses)",
}


def fail(code, message):
    """One line on stderr, nothing on stdout, exit `code`."""
    sys.stderr.write("rung.py: %s\n" % message)
    sys.exit(code)


# MARK: - Interpreter


def implementation_name():
    return "pypy" if platform.python_implementation() == "PyPy" else "cpython"


def interpreter_description():
    """e.g. "CPython 3.11.2" or "PyPy 7.3.11 (Python 3.9.16)"."""
    python = platform.python_version()
    if platform.python_implementation() == "PyPy":
        v = sys.pypy_version_info
        return "PyPy %d.%d.%d (Python %s)" % (v.major, v.minor, v.micro, python)
    return "%s %s" % (platform.python_implementation(), python)


# MARK: - Executors


def _call(job):
    function, args = job
    return function(*args)


class ThreadExecutor:
    """The chunks on a threading pool: under CPython's GIL only one thread runs
    Python bytecode at a time, so CPU-bound chunks gain about nothing (the
    Cython chunks release the GIL, so theirs do run in parallel)."""

    def __init__(self, workers):
        from concurrent.futures import ThreadPoolExecutor

        self.workers = workers
        self.pool = ThreadPoolExecutor(max_workers=workers)

    def map(self, function, arguments):
        return list(self.pool.map(_call, [(function, args) for args in arguments]))

    def close(self):
        self.pool.shutdown()


def _ready(_):
    return os.getpid()


class ProcessExecutor:
    """The chunks on a multiprocessing pool: one interpreter (and one GIL) per
    worker; arguments and results are pickled across. Chunks are handed out one
    at a time (chunksize 1), like the Swift ThreadPool's dynamic claiming."""

    def __init__(self, workers):
        import multiprocessing

        self.workers = workers
        start = time.perf_counter()
        self.pool = multiprocessing.Pool(processes=workers)
        # Start-up is done when every worker has answered once.
        self.pool.map(_ready, range(workers), chunksize=1)
        self.startup_seconds = time.perf_counter() - start

    def map(self, function, arguments):
        return self.pool.starmap(function, arguments, chunksize=1)

    def close(self):
        self.pool.close()
        self.pool.join()


# MARK: - Kernels


def not_applicable(name, impl):
    """Why `impl` has no port of kernel `name`, or None."""
    table = {"numpy": numpy_kernels.NOT_APPLICABLE, "numba": numba_kernels.NOT_APPLICABLE}.get(impl, {})
    return table.get(name)


def load_library_kernel(name, impl):
    """The NumPy or Numba module for `name`, or exit 2/3/5."""
    why = not_applicable(name, impl)
    if why is not None:
        fail(EXIT_NOT_IMPLEMENTED, "not applicable: %s %s: %s" % (impl, name, why))
    if name not in kernels.MODULES:
        fail(EXIT_USAGE, "unknown kernel %r (known: %s)" % (name, ", ".join(kernels.MODULES)))
    package = numpy_kernels if impl == "numpy" else numba_kernels
    if name not in package.MODULES:
        fail(EXIT_NOT_IMPLEMENTED, "%s has no %s version yet" % (name, impl))
    if impl == "numba" and implementation_name() != "cpython":
        fail(EXIT_USAGE, "the numba rung runs under CPython (python3), not %s" % interpreter_description())
    try:
        import numpy  # noqa: F401
    except ImportError:
        fail(EXIT_LIBRARY_MISSING, LIBRARY_HINT["numpy"])
    if impl == "numba":
        try:
            import numba  # noqa: F401
        except ImportError:
            fail(EXIT_LIBRARY_MISSING, LIBRARY_HINT["numba"])
    return package.load(name)


def library_description(impl):
    """e.g. "NumPy 2.4.6" or "Numba 0.68.1 (NumPy 2.4.6)"; None for python and cython."""
    if impl not in ("numpy", "numba"):
        return None
    import numpy

    if impl == "numpy":
        return "NumPy %s" % numpy.__version__
    import numba

    return "Numba %s (NumPy %s)" % (numba.__version__, numpy.__version__)


def set_library_threads(impl, mode, workers):
    """Before numpy or numba is imported: BLAS threads for numpy (one when
    serial), and enough Numba threads for --workers."""
    if impl not in ("numpy", "numba"):
        return
    blas = str(workers) if impl == "numpy" and mode == "parallel" else "1"
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = blas
    if impl == "numba":
        os.environ["NUMBA_NUM_THREADS"] = str(max(workers, os.cpu_count() or 1))


class LibraryKernel:
    """A Numba module behind the plain kernels' interface (prepare, run, result)
    for `measure`: run is run_serial, run_parallel or run_chunks by mode."""

    def __init__(self, module, mode):
        self.module = module
        self.mode = mode
        self.prepare = module.prepare
        self.result = module.result
        self.SIZES = module.SIZES

    def run(self, state, ex):
        if self.mode == "parallel":
            return self.module.run_parallel(state)
        if self.mode == "threads":
            return self.module.run_chunks(state, ex)
        return self.module.run_serial(state)

    def compile(self, size):
        """Compiles by one run at the kernel's tiny size (or `size`, if smaller):
        the seconds it took, compile and that tiny run together."""
        t0 = time.perf_counter()
        state = self.prepare(min(size, self.SIZES["tiny"]))
        self.run(state, SerialExecutor())
        return time.perf_counter() - t0


def load_kernel(name, impl):
    """The module that implements `name` for `impl`, or exit 3/4/5."""
    if impl in ("numpy", "numba"):
        return load_library_kernel(name, impl)
    module = kernels.load(name)
    if module is None:
        if name in kernels.MODULES:
            fail(EXIT_NOT_IMPLEMENTED, "%s has no Python version yet" % name)
        fail(EXIT_USAGE, "unknown kernel %r (known: %s)" % (name, ", ".join(kernels.MODULES)))
    if impl == "python":
        return module
    if impl == "mypyc":
        return load_mypyc(name)
    cython_name = "cy_" + kernels.MODULES[name]
    if not os.path.exists(os.path.join(HERE, "cython", cython_name + ".pyx")):
        fail(EXIT_NOT_IMPLEMENTED, "%s has no Cython version (bench/python/cython/)" % name)
    if implementation_name() != "cpython":
        fail(EXIT_USAGE, "the cython rung runs under CPython (python3), not %s" % interpreter_description())
    sys.path.insert(0, CYTHON_CACHE)
    try:
        return __import__(cython_name)
    except ImportError:
        fail(EXIT_CYTHON_MISSING, "the Cython module %s is not built for %s: %s"
             % (cython_name, interpreter_description(), CYTHON_HINT))


def load_mypyc(name):
    """The plain kernel compiled by mypyc (bench/python/build_mypyc.py), or exit 2/4."""
    if implementation_name() != "cpython":
        fail(EXIT_USAGE, "the mypyc rung runs under CPython (python3), not %s" % interpreter_description())
    module_name = "mypyc_" + kernels.MODULES[name]
    refused = os.path.join(MYPYC_CACHE, "refused.json")
    if os.path.exists(refused):
        with open(refused, encoding="utf-8") as f:
            why = json.load(f).get(kernels.MODULES[name])
        if why:
            fail(EXIT_NOT_IMPLEMENTED, "not applicable: mypyc could not compile %s: %s" % (name, why))
    sys.path.insert(0, MYPYC_CACHE)
    try:
        module = __import__(module_name)
    except ImportError:
        fail(EXIT_CYTHON_MISSING, "the mypyc module %s is not built for %s: %s"
             % (module_name, interpreter_description(), MYPYC_HINT))
    if not (module.__file__ or "").endswith(".so"):
        fail(EXIT_CYTHON_MISSING, "%s is not a compiled module: %s" % (module_name, MYPYC_HINT))
    return module


def listing():
    """Every kernel with its sizes and the implementations written."""
    entries = []
    for name, module_name in kernels.MODULES.items():
        module = kernels.load(name)
        impls = []
        modes = {}
        if module is not None:
            impls.append("python")
            if os.path.exists(os.path.join(HERE, "cython", "cy_" + module_name + ".pyx")):
                impls.append("cython")
            impls.append("mypyc")
            if name in numpy_kernels.MODULES:
                impls.append("numpy")
            if name in numba_kernels.MODULES:
                impls.append("numba")
            for impl in impls:
                modes[impl] = [m for m in IMPL_MODES[impl]
                               if not (impl == "numpy" and m == "parallel" and name not in numpy_kernels.BLAS)
                               and not (impl == "numba" and m == "threads" and name not in numba_kernels.CHUNK_THREADS)]
        entry = {"kernel": name, "implementations": impls}
        if module is not None:
            entry["sizes"] = module.SIZES
            entry["modes"] = modes
        missing = {impl: why for impl in ("numpy", "numba") for why in [not_applicable(name, impl)] if why}
        if missing:
            entry["notApplicable"] = missing
        entries.append(entry)
    return {"interpreter": interpreter_description(), "kernels": entries}


# MARK: - Measurement


def measure(module, size, executor, samples, min_time, max_seconds):
    """Setup, a cold verifying run, warm-up, calibration, then the samples.

    Returns (result triple, sample list, runs per sample, setup seconds, notes).
    """
    began = time.perf_counter()
    t0 = time.perf_counter()
    state = module.prepare(size)
    setup = time.perf_counter() - t0

    t0 = time.perf_counter()
    output = module.run(state, executor)
    first = time.perf_counter() - t0
    answer = module.result(state, output)

    def runs(count):
        t0 = time.perf_counter()
        for _ in range(count):
            last = module.run(state, executor)
        return time.perf_counter() - t0, last

    taken, runs_per_sample, notes, output = take_samples(
        runs, first, samples, min_time, max_seconds, began, LONG_RUN_SECONDS)
    final = module.result(state, output)
    if final != answer:
        fail(1, "result changed while timing: %s after %s" % (final[0], answer[0]))
    return answer, taken, runs_per_sample, setup, notes


def parse(argv):
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            fail(EXIT_USAGE, message)

    parser = Parser(
        prog="rung.py",
        description="Time one SpeedLadder kernel in Python; prints one JSON object (bench/python/PROTOCOL.md).")
    parser.add_argument("--list", action="store_true", help="print the kernels, sizes and implementations as JSON")
    parser.add_argument("--kernel", help="catalogue name, e.g. mandelbrot, spectral-norm")
    parser.add_argument("--size", type=int, help="the kernel's size parameter (the Swift quick size, usually)")
    parser.add_argument("--samples", type=int, default=5, help="timed samples (default 5)")
    parser.add_argument("--min-time", type=float, default=50.0, help="milliseconds a sample lasts at least (default 50)")
    parser.add_argument("--impl", choices=IMPLS, default="python")
    parser.add_argument("--mode", choices=["serial", "threads", "processes", "parallel"], default="serial")
    parser.add_argument("--workers", type=int,
                        help="threads, processes or the library's threads (default: all cores; 1 when serial)")
    parser.add_argument("--max-seconds", type=float,
                        help="cap on the whole measurement: fewer samples (at least one), never a smaller input")
    args = parser.parse_args(argv)
    if args.list:
        return args
    if not args.kernel or args.size is None:
        fail(EXIT_USAGE, "--kernel and --size are required (or --list)")
    if args.size < 1:
        fail(EXIT_USAGE, "--size must be positive, not %d" % args.size)
    if args.samples < 1:
        fail(EXIT_USAGE, "--samples must be at least 1, not %d" % args.samples)
    if not args.min_time >= 0:
        fail(EXIT_USAGE, "--min-time must be a number of milliseconds >= 0")
    if args.max_seconds is not None and not args.max_seconds > 0:
        fail(EXIT_USAGE, "--max-seconds must be positive")
    if args.workers is None:
        args.workers = 1 if args.mode == "serial" else (os.cpu_count() or 1)
    if args.workers < 1:
        fail(EXIT_USAGE, "--workers must be at least 1, not %d" % args.workers)
    if args.mode == "serial" and args.workers != 1:
        fail(EXIT_USAGE, "--workers needs --mode threads, processes or parallel")
    if args.mode not in IMPL_MODES[args.impl]:
        fail(EXIT_USAGE, "--impl %s takes --mode %s, not %s" % (args.impl, " or ".join(IMPL_MODES[args.impl]), args.mode))
    return args


def run_mojo(args):
    """--impl mojo / mojo-simd: the built Mojo port, timed by rung.py's protocol (mojo_rung.py)."""
    import mojo_rung

    name = args.kernel
    module = kernels.load(name)
    if module is None:
        fail(EXIT_USAGE, "unknown kernel %r (known: %s)" % (name, ", ".join(kernels.MODULES)))
    if name not in mojo_rung.PORTS:
        fail(EXIT_NOT_IMPLEMENTED, "not applicable: %s %s: %s"
             % (args.impl, name, mojo_rung.NOT_PORTED.get(name, "no Mojo port (bench/mojo/)")))
    if args.impl == "mojo-simd" and name not in mojo_rung.SIMD:
        fail(EXIT_NOT_IMPLEMENTED, "not applicable: mojo-simd %s: %s" % (name, mojo_rung.NO_SIMD))
    failure = mojo_rung.build_failure(name)
    if failure:
        fail(EXIT_CYTHON_MISSING, "the Mojo port of %s did not build: %s" % (name, failure))
    described = mojo_rung.version()
    if described is None or not os.access(mojo_rung.binary(name), os.X_OK):
        fail(EXIT_CYTHON_MISSING, "the Mojo port of %s is not built: %s" % (name, mojo_rung.HINT))
    validate = getattr(module, "validate", None)
    if validate is not None:
        try:
            validate(args.size)
        except ValueError as error:
            fail(EXIT_USAGE, "%s cannot take size %d: %s" % (name, args.size, error))
    variant = "simd" if args.impl == "mojo-simd" else "scalar"
    try:
        answer, samples, runs, setup, notes = mojo_rung.measure(
            name, module, args.size, variant, args.workers, args.samples, args.min_time / 1000.0,
            args.max_seconds, LONG_RUN_SECONDS)
    except (RuntimeError, ValueError, OSError) as error:
        fail(1, "%s %s: %s" % (args.impl, name, error))
    notes.append("one thread" if args.mode == "serial" else
                 "%d POSIX threads claiming the same chunks as the Swift harness" % args.workers)
    if mojo_rung.PINNED not in described:
        notes.append("built with %s; the ports are written for Mojo %s" % (described, mojo_rung.PINNED))
    text, checksum, values = answer
    report = {
        "kernel": name, "size": args.size, "implementation": args.impl, "interpreter": described,
        "mode": args.mode, "workers": args.workers,
        "result": {"text": text, "checksum": hex16(checksum), "values": list(values)},
        "samples": samples, "runsPerSample": [runs] * len(samples), "setupSeconds": setup,
        "note": "; ".join(notes),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def main(argv):
    args = parse(argv)
    if args.list:
        print(json.dumps(listing()))
        return 0
    if args.impl.startswith("mojo"):
        return run_mojo(args)
    set_library_threads(args.impl, args.mode, args.workers)
    module = load_kernel(args.kernel, args.impl)
    if args.impl == "numpy" and args.mode == "parallel" and args.kernel not in numpy_kernels.BLAS:
        fail(EXIT_NOT_IMPLEMENTED, "not applicable: numpy %s --mode parallel: its array operations run on one "
             "thread; only the BLAS kernels (%s) use more" % (args.kernel, ", ".join(sorted(numpy_kernels.BLAS))))
    if args.impl == "numba" and args.mode == "threads" and args.kernel not in numba_kernels.CHUNK_THREADS:
        fail(EXIT_NOT_IMPLEMENTED, "not applicable: numba %s --mode threads: only %s map nogil chunks on "
             "threads; use --mode parallel" % (args.kernel, ", ".join(sorted(numba_kernels.CHUNK_THREADS))))
    validate = getattr(module, "validate", None)
    if validate is not None:
        try:
            validate(args.size)
        except ValueError as error:
            fail(EXIT_USAGE, "%s cannot take size %d: %s" % (args.kernel, args.size, error))

    compile_seconds = None
    if args.impl == "numba":
        import numba

        module = LibraryKernel(module, args.mode)
        if args.mode == "parallel":
            numba.set_num_threads(args.workers)
        compile_seconds = module.compile(args.size)

    startup = None
    if args.mode == "threads":
        executor = ThreadExecutor(args.workers)
    elif args.mode == "processes":
        executor = ProcessExecutor(args.workers)
        startup = executor.startup_seconds
    else:
        executor = SerialExecutor()
    try:
        answer, samples, runs, setup, notes = measure(
            module, args.size, executor, args.samples, args.min_time / 1000.0, args.max_seconds)
    finally:
        if args.mode in ("threads", "processes"):
            executor.close()

    if args.mode == "threads":
        notes.append("threading pool; " + (
            "the Cython chunks release the GIL while they compute" if args.impl == "cython" else
            "the @njit(nogil=True) chunks release the GIL while they compute" if args.impl == "numba" else
            "one GIL, so CPU-bound chunks take turns"))
    elif args.mode == "parallel" and args.impl == "numba":
        import numba

        notes.append("@njit(parallel=True): prange over the same chunks on %d Numba threads (%s layer)"
                     % (args.workers, numba.threading_layer()))
    elif args.mode == "parallel":
        notes.append("BLAS on %d threads" % args.workers)
    elif args.impl == "numpy":
        notes.append("BLAS pinned to one thread" if args.kernel in numpy_kernels.BLAS else "one thread")
    rounding = getattr(module, "ROUNDING", None)
    if rounding:
        notes.append(rounding)
    if compile_seconds is not None:
        notes.append("JIT compile %.3g s (a first call at the tiny size), in setupSeconds, not in the samples"
                     % compile_seconds)
    elif args.mode == "processes":
        notes.append("multiprocessing pool; start-up %.3g s, not in the samples" % startup)
    text, checksum, values = answer
    report = {
        "kernel": args.kernel,
        "size": args.size,
        "implementation": args.impl if args.impl in ("cython", "mypyc", "numpy", "numba") else implementation_name(),
        "interpreter": interpreter_description(),
        "mode": args.mode,
        "workers": args.workers,
        "result": {"text": text, "checksum": hex16(checksum), "values": list(values)},
        "samples": samples,
        "runsPerSample": [runs] * len(samples),
        "setupSeconds": setup + (compile_seconds or 0.0),
        "note": "; ".join(notes),
    }
    library = library_description(args.impl)
    if library is not None:
        report["library"] = library
    if compile_seconds is not None:
        report["compileSeconds"] = compile_seconds
    if startup is not None:
        report["startupSeconds"] = startup
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
