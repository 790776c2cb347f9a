#!/usr/bin/env python3
"""Checks the Python (and, when built, Cython and mypyc) kernels at the `tiny` size:

1. against published reference values (the ones the Swift kernels verify and
   Tests/KernelTests check: the Benchmarks Game's outputs, π(10^k), OEIS
   A000170, closed forms, and the standard SplitMix64 / FNV-1a test vectors);
2. against the Swift benchmark's own output at `tiny`, produced by running the
   built binary now (text, checksum and values must be identical);
3. threads and processes (2 workers) give the serial answer;
4. the NumPy ports (numpy_kernels/) and the Numba ports (numba_kernels/: serial,
   parallel=True, and nogil chunks on 2 threads) against the same references,
   the plain kernels and the Swift answers. Numba's are bit-identical; a NumPy
   port with ROUNDING (BLAS or pairwise sums) must match text and checksum and
   agree in values within its TOLERANCE, and a NOTE line gives the relative
   difference from Swift's values (whose kernel tolerance is 0).

    python3 bench/python/test_reference.py [--swift PATH | --no-swift] [--require-cython] [--require-mypyc]
                                           [--require-numba]
    pypy3   bench/python/test_reference.py

The Swift binary defaults to .build/debug/benchmark (then .build/release/) in
the repository; without one the run fails unless --no-swift is given. Cython
modules are checked when built (python3 bench/python/build_cython.py), else a
SKIP line says so; --require-cython makes that a failure. The same for the
mypyc modules (python3 bench/python/build_mypyc.py) and --require-mypyc. One line per check;
exit 1 on any failure. Without numpy or numba (and always under PyPy, which
has no numba) their ports are skipped with a SKIP line; --require-numba makes
a missing numpy or numba a failure under CPython.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CYTHON_CACHE = os.path.join(os.path.dirname(HERE), ".cache", "cython")
MYPYC_CACHE = os.path.join(os.path.dirname(HERE), ".cache", "mypyc")
sys.path.insert(0, HERE)

import kernels  # noqa: E402
from kernels import nbody  # noqa: E402
from kernels.support import SerialExecutor, SplitMix64, fixed, fnv1a_bytes, hex16  # noqa: E402

failures = []


def check(ok, what, detail=""):
    print("%s  %s%s" % ("ok  " if ok else "FAIL", what, ("  — " + detail) if detail and not ok else ""))
    if not ok:
        failures.append(what)


def compute(module, size, ex=None):
    state = module.prepare(size)
    text, checksum, values = module.result(state, module.run(state, ex or SerialExecutor()))
    return {"text": text, "checksum": hex16(checksum), "values": list(values)}


# MARK: - Published references


def reference_checks(label, module, out):
    """The reference a kernel's Swift `verify` knows at tiny, on `out`."""
    name = module.NAME
    text = out["text"]
    if name == "mandelbrot":
        check("md5 cc65e64bd553ed18896de1dfe7fae3e5" in text,
              "%s mandelbrot 200: PBM md5 of the Benchmarks Game C program" % label, text)
    elif name == "nbody":
        # No published energies at N = 40; the Benchmarks Game's N = 5 runs
        # are checked in extra_references, the N = 40 text against Swift's.
        check(len(out["values"]) == 2 and text.startswith("energy before "),
              "%s nbody 40: two energies" % label, text)
    elif name == "spectral-norm":
        check(text == "norm 1.274219991", "%s spectral-norm 100: Benchmarks Game 1.274219991" % label, text)
    elif name == "fannkuch-redux":
        check(text == "checksum 228 · max flips 16",
              "%s fannkuch-redux 7: Benchmarks Game checksum 228, max flips 16" % label, text)
    elif name == "sieve":
        check(text == "primes 78498", "%s sieve 10^6: π(10^6) = 78498" % label, text)
    elif name == "binary-trees":
        expected = "\n".join([
            "stretch tree of depth 11\t check: 4095",
            "1024\t trees of depth 4\t check: 31744",
            "256\t trees of depth 6\t check: 32512",
            "64\t trees of depth 8\t check: 32704",
            "16\t trees of depth 10\t check: 32752",
            "long lived tree of depth 10\t check: 2047"])
        check(text == expected and out["checksum"] == hex16(fnv1a_bytes(expected.encode())),
              "%s binary-trees 10: Benchmarks Game output at depth 10" % label, text)
    elif name == "k-nucleotide":
        check(out["checksum"] == "0xb9ae8dec2da560dd",
              "%s k-nucleotide 10000: counts digest 0xb9ae8dec2da560dd (Swift's reference)" % label, out["checksum"])
    elif name == "nqueens":
        check(text == "solutions 92", "%s nqueens 8: 92 solutions (OEIS A000170)" % label, text)
    elif name == "triad":
        n = module.SIZES["tiny"]
        a = [i % 1000 + 3 * (i % 7) for i in range(n)]
        weighted = sum((i + 1) * v for i, v in enumerate(a)) % (1 << 64)
        check(text == "sum %d · weighted %s · n %d × 1 reps" % (sum(a), hex16(weighted), n),
              "%s triad 4096: a[i] = i %% 1000 + 3·(i %% 7), summed independently" % label, text)
    elif name == "matmul":
        check(text.startswith("sum ") and "non-integer" not in text,
              "%s matmul 40: every entry an exact integer (no published reference)" % label, text)


def extra_references():
    """Cheap published values beyond the tiny size."""
    r = SplitMix64(0)
    check((hex16(r.next()), hex16(r.next())) == ("0xe220a8397b1dcdaf", "0x6e789e6aa1b965f4"),
          "SplitMix64(seed 0): the reference implementation's first outputs")
    check(hex16(fnv1a_bytes(b"a")) == "0xaf63dc4c8601ec8c" and hex16(fnv1a_bytes(b"foobar")) == "0x85944171f73967e8",
          "FNV-1a 64: the published test vectors for \"a\" and \"foobar\"")
    for steps, after in ((100, "-0.169050762"), (1000, "-0.169087605")):
        state = nbody.prepare(5, steps=steps)
        before, end = nbody.run(state, SerialExecutor())
        check((fixed(before, 9), fixed(end, 9)) == ("-0.169075164", after),
              "python nbody N=5, %d steps: Benchmarks Game -0.169075164 / %s" % (steps, after),
              "%s / %s" % (fixed(before, 9), fixed(end, 9)))
    sieve = kernels.load("sieve")
    for k, pi in ((1, 4), (2, 25), (3, 168), (4, 1229), (5, 9592)):
        check(compute(sieve, 10 ** k)["text"] == "primes %d" % pi, "python sieve: π(10^%d) = %d" % (k, pi))
    queens = kernels.load("nqueens")
    for n, solutions in ((4, 2), (5, 10), (6, 4), (7, 40)):
        check(compute(queens, n)["text"] == "solutions %d" % solutions,
              "python nqueens %d: %d solutions (OEIS A000170)" % (n, solutions))


# MARK: - Swift


def swift_results(argv):
    """{kernel: result} from the Swift benchmark at tiny, or None when skipped."""
    if "--no-swift" in argv:
        print("SKIP  Swift comparison (--no-swift)")
        return None
    if "--swift" in argv:
        binary = argv[argv.index("--swift") + 1]
    else:
        candidates = [os.path.join(ROOT, ".build", b, "benchmark") for b in ("debug", "release")]
        binary = next((c for c in candidates if os.access(c, os.X_OK)), None)
        if binary is None:
            check(False, "Swift comparison: no .build/debug/benchmark (run `swift build`, or pass --no-swift)")
            return None
    build = "release" if "/release/" in binary else "debug"
    command = [binary, "--size", "tiny", "--builds", build, "--flavours", "c", "--threads", "1",
               "--samples", "1", "--min-time", "1", "--format", "json"]
    try:
        process = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    except OSError as error:
        check(False, "Swift benchmark at tiny ran (%s)" % binary, str(error))
        return None
    if process.returncode != 0:
        check(False, "Swift benchmark at tiny ran", process.stderr.decode(errors="replace").strip()[-300:])
        return None
    cells = json.loads(process.stdout)["cells"]
    return {cell["id"]["kernel"]: (cell["size"], cell["result"]) for cell in cells}


def load_cython(module_name):
    """The built Cython module for a kernel module name, or None."""
    if CYTHON_CACHE not in sys.path:
        sys.path.insert(0, CYTHON_CACHE)
    try:
        return __import__("cy_" + module_name)
    except ImportError:
        return None


def load_mypyc(module_name):
    """The plain kernel compiled by mypyc (build_mypyc.py), or None when not built."""
    if MYPYC_CACHE not in sys.path:
        sys.path.insert(0, MYPYC_CACHE)
    try:
        module = __import__("mypyc_" + module_name)
    except ImportError:
        return None
    return module if (module.__file__ or "").endswith(".so") else None


def agrees(a, b, tolerance):
    """KernelResult.agrees (Sources/KernelKit/KernelResult.swift) on result dicts."""
    if a["checksum"] != b["checksum"] or len(a["values"]) != len(b["values"]):
        return False
    return all(x == y if tolerance == 0 else abs(x - y) <= tolerance * max(abs(x), abs(y), 1)
               for x, y in zip(a["values"], b["values"]))


def relative_difference(a, b):
    return max([abs(x - y) / max(abs(x), abs(y), 1) for x, y in zip(a["values"], b["values"])] or [0.0])


def library(name, argv):
    """numpy_kernels or numba_kernels, or None with a SKIP line (a failure with --require-numba)."""
    import platform

    if name == "numba" and platform.python_implementation() != "CPython":
        print("SKIP  numba ports: Numba runs under CPython only, not %s" % platform.python_implementation())
        return None
    try:
        import numpy  # noqa: F401
        if name == "numba":
            import numba  # noqa: F401
    except ImportError as error:
        print("SKIP  %s ports: %s not installed (pip install %s)" % (name, error.name, error.name))
        if "--require-numba" in argv and platform.python_implementation() == "CPython":
            failures.append("%s installed" % error.name)
        return None
    return __import__(name + "_kernels")


def library_checks(argv, plain_results, swift):
    """The NumPy and Numba ports at tiny against references, plain Python and Swift."""
    numpy_kernels = library("numpy", argv)
    if numpy_kernels is not None:
        for name, why in numpy_kernels.NOT_APPLICABLE.items():
            print("n/a   numpy %s: %s" % (name, why))
        for name in numpy_kernels.MODULES:
            module = numpy_kernels.load(name)
            size = module.SIZES["tiny"]
            out = compute(module, size)
            reference_checks("numpy", module, out)
            tolerance = getattr(module, "TOLERANCE", 0)
            for label, expected in (("plain Python", plain_results[name]),
                                    ("Swift", swift.get(name, (None, None))[1] if swift else None)):
                if expected is None:
                    continue
                check(out["text"] == expected["text"] and agrees(out, expected, tolerance),
                      "numpy %s %d: text and checksum equal %s's, values within %g" % (name, size, label, tolerance),
                      "%r / %r" % (out, expected))
                if tolerance:
                    print("NOTE  numpy %s %d: values differ from %s's by %.2g relative (%s; Swift's tolerance: 0)"
                          % (name, size, label, relative_difference(out, expected), module.ROUNDING))
    numba_kernels = library("numba", argv)
    if numba_kernels is not None:
        import rung

        for name, why in numba_kernels.NOT_APPLICABLE.items():
            print("n/a   numba %s: %s" % (name, why))
        for name in numba_kernels.MODULES:
            module = numba_kernels.load(name)
            size = module.SIZES["tiny"]
            modes = ["serial", "parallel"] + (["threads"] if name in numba_kernels.CHUNK_THREADS else [])
            for mode in modes:
                kernel = rung.LibraryKernel(module, mode)
                executor = rung.ThreadExecutor(2) if mode == "threads" else None
                try:
                    out = compute(kernel, size, executor)
                finally:
                    if executor is not None:
                        executor.close()
                reference_checks("numba %s" % mode, module, out)
                expected = [("plain Python", plain_results[name])]
                if swift:
                    expected.append(("Swift", swift.get(name, (None, None))[1]))
                for label, answer in expected:
                    check(out == answer, "numba %s %s %d: text, checksum and values equal %s's"
                          % (mode, name, size, label), "%r / %r" % (out, answer))


def compiled_checks(impl, compiled, cpython, hint, name, size, out, argv):
    """A compiled module (cython, mypyc) against plain Python's answer `out`, or a
    SKIP line when it is not built (a failure with --require-IMPL under CPython)."""
    if compiled is None:
        why = "built and run under CPython only" if not cpython else "not built (%s)" % hint
        print("SKIP  %s %s: %s" % (impl, name, why))
        if "--require-" + impl in argv and cpython:
            failures.append("%s %s built" % (impl, name))
        return
    compiled_out = compute(compiled, size)
    reference_checks(impl, compiled, compiled_out)
    check(compiled_out == out, "%s %s %d: same result as plain Python" % (impl, name, size),
          "%r / %r" % (compiled_out, out))


def main(argv):
    import platform

    interpreter = "%s %s" % (platform.python_implementation(), platform.python_version())
    print("Python kernels at tiny under %s" % interpreter)
    swift = swift_results(argv)
    extra_references()
    cython_ok = platform.python_implementation() == "CPython"
    plain_results = {}
    for name, module_name in kernels.MODULES.items():
        module = kernels.load(name)
        if module is None:
            check(False, "python %s: written" % name)
            continue
        size = module.SIZES["tiny"]
        out = compute(module, size)
        plain_results[name] = out
        reference_checks("python", module, out)
        if swift is not None:
            swift_size, swift_out = swift.get(name, (None, None))
            check(swift_size == size and out == swift_out,
                  "python %s %d: text, checksum and values equal Swift's" % (name, size),
                  "python %r / swift %r" % (out, swift_out))
        if os.path.exists(os.path.join(HERE, "cython", "cy_" + module_name + ".pyx")):
            compiled_checks("cython", load_cython(module_name) if cython_ok else None, cython_ok,
                            "python3 bench/python/build_cython.py", name, size, out, argv)
        compiled_checks("mypyc", load_mypyc(module_name) if cython_ok else None, cython_ok,
                        "pip install mypy, then python3 bench/python/build_mypyc.py", name, size, out, argv)
    # Same chunks on threads and processes, same answer.
    import rung

    for name in ("mandelbrot", "nqueens", "spectral-norm"):
        candidates = [("python", kernels.load(name))]
        if cython_ok and os.path.exists(os.path.join(HERE, "cython", "cy_%s.pyx" % kernels.MODULES[name])):
            candidates.append(("cython", load_cython(kernels.MODULES[name])))
        for label, mod in candidates:
            if mod is None:
                continue
            serial = compute(mod, mod.SIZES["tiny"])
            for executor_type in (rung.ThreadExecutor, rung.ProcessExecutor):
                ex = executor_type(2)
                try:
                    got = compute(mod, mod.SIZES["tiny"], ex)
                finally:
                    ex.close()
                check(got == serial, "%s %s: %s with 2 workers gives the serial result"
                      % (label, name, executor_type.__name__))
    library_checks(argv, plain_results, swift)
    print("%d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
