#!/usr/bin/env python3
"""The GIL, held and released: the concurrency lesson's chunk functions on
CPython threads (concurrent.futures.ThreadPoolExecutor), in two variants:

    python       the plain-Python chunk functions: they hold the GIL, so the
                 threads take turns and more threads buy about nothing;
    numba-nogil  the same chunks as @njit(nogil=True) functions: the GIL is
                 released while a chunk runs, so the threads run at once.

mandelbrot rows and nqueens openings are the kernels the Swift concurrency
lesson uses (`benchmark concurrency`). Each (kernel, variant, thread count) is
timed as rung.py times a cell (its `measure`: setup apart, a cold verifying
run, warm-up, samples) and printed as one JSON line on stdout:

    {"demo": "gil-threads", "kernel": "mandelbrot", "size": 1000,
     "variant": "numba-nogil", "gil": "released", "threads": 2,
     "seconds": 0.012, "samples": [...], "runsPerSample": 5,
     "speedup": 1.9,      // this variant's median at the first --threads count (1) / this median
     "result": {"text", "checksum", "values"},
     "verified": true, "verifiedAgainst": "OEIS A000170: 14200 solutions",
     "setupSeconds": 0.4, "compileSeconds": 0.4}   // compileSeconds: numba only

A variant that cannot run prints {"demo", "kernel", "size", "variant",
"skipped": "<why>"} and the same line on stderr (e.g. numba not installed:
pip install numba); the rest goes on.

    python3 bench/python/gil_threads.py [--kernels mandelbrot,nqueens] [--size quick]
        [--threads 1,2] [--samples 3] [--min-time 50] [--max-seconds T]

--size is tiny, quick (default) or full, or a number. Exit 0 when every
result matched, 1 when one did not, 2 on a usage error.
"""

import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rung  # noqa: E402
import kernels  # noqa: E402
from kernels.support import hex16  # noqa: E402

KERNELS = ("mandelbrot", "nqueens")
MANDELBROT_MD5 = {200: "cc65e64bd553ed18896de1dfe7fae3e5"}
QUEENS = {4: 2, 5: 10, 6: 4, 7: 40, 8: 92, 9: 352, 10: 724, 11: 2680, 12: 14200, 13: 73712, 14: 365596,
          15: 2279184, 16: 14772512, 17: 95815104}  # OEIS A000170


def reference(name, size, text):
    """(ok, what) against a published value, or None when none is known."""
    if name == "nqueens" and size in QUEENS:
        return text == "solutions %d" % QUEENS[size], "OEIS A000170: %d solutions" % QUEENS[size]
    if name == "mandelbrot" and size in MANDELBROT_MD5:
        return "md5 " + MANDELBROT_MD5[size] in text, "Benchmarks Game PBM md5 " + MANDELBROT_MD5[size]
    return None


def emit(line):
    print(json.dumps(line, ensure_ascii=False), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(prog="gil_threads.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernels", default=",".join(KERNELS))
    parser.add_argument("--size", default="quick")
    parser.add_argument("--threads", default="1,%d" % (os.cpu_count() or 1))
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=50.0)
    parser.add_argument("--max-seconds", type=float)
    args = parser.parse_args(argv)
    try:
        counts = [int(t) for t in args.threads.split(",")]
    except ValueError:
        parser.error("--threads takes numbers, e.g. 1,2")
    if not counts or min(counts) < 1 or args.samples < 1:
        parser.error("--threads and --samples must be at least 1")
    names = args.kernels.split(",")
    for name in names:
        if name not in KERNELS:
            parser.error("--kernels: %s is not one of %s" % (name, ", ".join(KERNELS)))
    rung.set_library_threads("numba", "threads", max(counts))

    mismatches = 0
    for name in names:
        plain = kernels.load(name)
        size = plain.SIZES[args.size] if args.size in plain.SIZES else int(args.size)
        if hasattr(plain, "validate"):
            plain.validate(size)
        expected = None  # the first answer: every other must equal it
        for variant in ("python", "numba-nogil"):
            module, compile_seconds = plain, None
            if variant == "numba-nogil":
                try:
                    import numba  # noqa: F401
                    import numba_kernels
                except ImportError:
                    why = rung.LIBRARY_HINT["numba"]
                    sys.stderr.write("gil_threads.py: %s\n" % why)
                    emit({"demo": "gil-threads", "kernel": name, "size": size, "variant": variant, "skipped": why})
                    continue
                module = rung.LibraryKernel(numba_kernels.load(name), "threads")
                compile_seconds = module.compile(size)
            first_median = None
            for threads in counts:
                executor = rung.ThreadExecutor(threads)
                try:
                    answer, samples, runs, setup, _ = rung.measure(
                        module, size, executor, args.samples, args.min_time / 1000.0, args.max_seconds)
                finally:
                    executor.close()
                text, checksum, values = answer
                result = {"text": text, "checksum": hex16(checksum), "values": list(values)}
                known = reference(name, size, text)
                if known is not None:
                    ok, against = known
                elif expected is None:
                    ok, against = True, "first answer (python, %d thread%s)" % (threads, "" if threads == 1 else "s")
                else:
                    ok, against = result == expected, "python on %d thread%s" % (counts[0], "" if counts[0] == 1 else "s")
                if expected is None:
                    expected = result
                elif result != expected:
                    ok = False
                mismatches += not ok
                median = statistics.median(samples)
                if first_median is None:
                    first_median = median
                line = {"demo": "gil-threads", "kernel": name, "size": size, "variant": variant,
                        "gil": "held" if variant == "python" else "released", "threads": threads,
                        "seconds": median, "samples": samples, "runsPerSample": runs,
                        "speedup": first_median / median if median > 0 else None,
                        "result": result, "verified": ok, "verifiedAgainst": against,
                        "setupSeconds": setup}
                if compile_seconds is not None:
                    line["compileSeconds"] = compile_seconds
                emit(line)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
