#!/usr/bin/env python3
"""The Mojo twin of test_reference.py: checks the built Mojo ports (bench/mojo/,
python3 bench/python/build_mojo.py) at the `tiny` size, and build_mojo.py's
handling of a missing or failing compiler.

1. every port, scalar and (where it has one) SIMD, on one thread and on two,
   against the published reference values test_reference.py checks, and
   against the plain Python kernel's answer: identical for the scalar ports
   (same operations in the same order); for the SIMD ports of nbody and
   spectral-norm, whose lanes add in another order (as the Swift and C vector
   flavours do), the same text and checksum and values within the kernel's
   Swift tolerance (1e-11 for nbody, 1e-12 for spectral-norm);
2. `rung.py --impl mojo` answers the protocol's JSON (one cell, end to end);
3. build_mojo.py with no mojo exits 4 with the pip line; with a compiler that
   fails, it records the first `error:` line in failed.json, exits 1, and
   rung.py skips that kernel's cell with the line (exit 4) — in a scratch
   copy of the cache, so the real build is untouched.

    python3 bench/python/test_mojo.py [--require-mojo]

Without built ports every check is a SKIP line (--require-mojo makes that a
failure). One line per check; exit 1 on any failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kernels  # noqa: E402
import mojo_rung  # noqa: E402
import test_reference  # noqa: E402
from kernels.support import SerialExecutor, hex16  # noqa: E402

#: The Swift kernels' tolerances for the ports whose SIMD lanes reorder sums.
TOLERANCE = {"nbody": 1e-11, "spectral-norm": 1e-12}


def port_answer(name, module, variant, workers):
    size = module.SIZES["tiny"]
    answer, samples, _, _, _ = mojo_rung.measure(name, module, size, variant, workers, 1, 0.001, None, 1.0)
    text, checksum, values = answer
    return {"text": text, "checksum": hex16(checksum), "values": list(values)}, samples


def port_checks():
    check = test_reference.check
    for name in mojo_rung.PORTS:
        module = kernels.load(name)
        size = module.SIZES["tiny"]
        plain = test_reference.compute(module, size)
        variants = ["scalar"] + (["simd"] if name in mojo_rung.SIMD else [])
        for variant in variants:
            for workers in (1, 2):
                label = "mojo-%s·%d" % (variant, workers)
                try:
                    out, samples = port_answer(name, module, variant, workers)
                except (RuntimeError, ValueError, OSError) as error:
                    check(False, "%s %s %d: runs" % (label, name, size), str(error))
                    continue
                test_reference.reference_checks(label, module, out)
                check(len(samples) == 1 and samples[0] > 0, "%s %s %d: one positive sample" % (label, name, size))
                if variant == "simd" and name in TOLERANCE:
                    check(out["text"] == plain["text"] and test_reference.agrees(out, plain, TOLERANCE[name]),
                          "%s %s %d: plain Python's text and checksum, values within %g"
                          % (label, name, size, TOLERANCE[name]), "%r / %r" % (out, plain))
                else:
                    check(out == plain, "%s %s %d: same result as plain Python" % (label, name, size),
                          "%r / %r" % (out, plain))


def protocol_check():
    process = subprocess.run(
        [sys.executable, os.path.join(HERE, "rung.py"), "--kernel", "nqueens", "--size", "8", "--samples", "2",
         "--min-time", "5", "--impl", "mojo-simd"], capture_output=True, text=True)
    test_reference.check(process.returncode == 3 and "not applicable: mojo-simd nqueens" in process.stderr,
                         "rung.py --impl mojo-simd nqueens: not applicable (no SIMD variant)", process.stderr)
    process = subprocess.run(
        [sys.executable, os.path.join(HERE, "rung.py"), "--kernel", "nqueens", "--size", "8", "--samples", "2",
         "--min-time", "5", "--impl", "mojo", "--mode", "parallel", "--workers", "2"], capture_output=True, text=True)
    ok = process.returncode == 0
    report = json.loads(process.stdout) if ok else {}
    test_reference.check(
        ok and report["implementation"] == "mojo" and report["mode"] == "parallel" and report["workers"] == 2
        and report["result"]["text"] == "solutions 92" and len(report["samples"]) == 2
        and report["interpreter"].startswith("Mojo "),
        "rung.py --impl mojo --mode parallel nqueens 8: the protocol's JSON, 92 solutions", process.stderr)


def build_failure_checks():
    """build_mojo.py against no mojo and a failing fake one, in a scratch cache."""
    check = test_reference.check
    scratch = tempfile.mkdtemp(prefix="speedladder-mojo-")
    try:
        environment = dict(os.environ, PATH=scratch)
        missing = subprocess.run([sys.executable, os.path.join(HERE, "build_mojo.py")], capture_output=True,
                                 text=True, env=environment)
        check(missing.returncode == 4 and "pip install mojo==%s" % mojo_rung.PINNED in missing.stderr,
              "build_mojo.py without mojo: exit 4 and how to install it", missing.stderr)
        fake = os.path.join(scratch, "mojo")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\n"
                    "if [ \"$1\" = --version ]; then echo 'Mojo 1.2.0 (fake)'; exit 0; fi\n"
                    "for a; do case $a in *.mojo) src=$a ;; esac; done\n"
                    "echo 'crash reporter: note' >&2\n"
                    "echo \"$src:7:9: error: use of unknown declaration 'sqrtt'\" >&2\n"
                    "echo \"$src:9:1: error: a second error\" >&2\n"
                    "exit 1\n")
        os.chmod(fake, 0o755)
        # Run the build against a copy of mojo_rung whose cache is the scratch folder.
        code = ("import sys; sys.path.insert(0, %r); import mojo_rung; mojo_rung.CACHE = %r; "
                "import build_mojo; sys.exit(build_mojo.main(['--mojo', %r]))" % (HERE, scratch, fake))
        failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        with open(os.path.join(scratch, "failed.json")) as f:
            recorded = json.load(f)
        check(failed.returncode == 1 and set(recorded) == set(mojo_rung.PORTS)
              and recorded["nbody"] == "bench/mojo/nbody.mojo:7:9: error: use of unknown declaration 'sqrtt'",
              "build_mojo.py with a failing compiler: exit 1, each port's first error line recorded",
              failed.stderr + repr(recorded))
        check("build_mojo.py: not built: nbody: bench/mojo/nbody.mojo:7:9: error:" in failed.stderr,
              "build_mojo.py: one stderr line per port that did not build", failed.stderr)
        code = ("import sys; sys.path.insert(0, %r); import mojo_rung; mojo_rung.CACHE = %r; import rung; "
                "sys.exit(rung.main(['--kernel', 'nbody', '--size', '40', '--impl', 'mojo']))" % (HERE, scratch))
        skipped = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        check(skipped.returncode == 4 and "did not build: bench/mojo/nbody.mojo:7:9: error:" in skipped.stderr
              and not skipped.stdout, "rung.py --impl mojo after a failed build: exit 4 with the first error line",
              skipped.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv):
    print("Mojo ports at tiny (%s)" % (mojo_rung.version() or "not built"))
    build_failure_checks()
    built = mojo_rung.version() is not None and all(os.access(mojo_rung.binary(k), os.X_OK) for k in mojo_rung.PORTS)
    if not built:
        print("SKIP  mojo ports: not built (%s)" % mojo_rung.HINT)
        if "--require-mojo" in argv:
            test_reference.failures.append("mojo ports built")
    else:
        port_checks()
        protocol_check()
    failures = test_reference.failures
    print("%d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
