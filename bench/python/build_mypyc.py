#!/usr/bin/env python3
"""Builds the mypyc rungs: the plain kernels of bench/python/kernels/, compiled
by mypyc (it ships inside mypy) into C extensions in bench/.cache/mypyc/
(git-ignored), with the running CPython's headers and the system C compiler.

    python3 bench/python/build_mypyc.py          # build what is out of date
    python3 bench/python/build_mypyc.py --force  # rebuild everything

The source is the plain kernel itself, not a rewrite: each kernels/NAME.py is
copied byte for byte to bench/.cache/mypyc/src/mypyc_NAME.py (a top-level
module name, so that the compiled module does not shadow the interpreted
`kernels.NAME` that the CPython rung imports) and compiled from there. The
kernels' hot functions carry ordinary type annotations, which is all mypyc
asks; under CPython and PyPy they cost nothing, since `from __future__ import
annotations` keeps them unevaluated strings.

A kernel mypyc refuses (a type error in its module) is left out and named on
stderr as `build_mypyc.py: not compiled: NAME: <mypy's first error line>`; the
others are built. Exit 0 when at least one module is built (or everything is up
to date); 4 with one line on stderr when mypy, setuptools, a C compiler or the
Python headers are missing (the line says how to get them); 1 when nothing
compiles. The last stdout line is the summary, with the compile time.

C is compiled with -ffp-contract=off, as the C flavour is (CSources use
FP_CONTRACT OFF), so no multiply-add is fused and the floating-point results
stay bit-identical to the other flavours'.
"""

import contextlib
import glob
import json
import os
import re
import sys
import time

from build_support import build_extensions, check_prerequisites, parse_force

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join(HERE, "kernels")
CACHE = os.path.join(os.path.dirname(HERE), ".cache", "mypyc")
SOURCES = os.path.join(CACHE, "src")
SCRIPT = "build_mypyc.py"
#: Modules of the kernels package that are not kernels.
NOT_KERNELS = {"__init__", "support"}


def kernel_modules():
    """The kernels package's kernel modules, by file name without .py."""
    names = [os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(KERNELS, "*.py"))]
    return sorted(n for n in names if n not in NOT_KERNELS)


def copy_sources(names):
    """kernels/NAME.py → src/mypyc_NAME.py, rewritten only when it changed (so
    an unchanged kernel is not recompiled)."""
    os.makedirs(SOURCES, exist_ok=True)
    paths = []
    for name in names:
        with open(os.path.join(KERNELS, name + ".py"), encoding="utf-8") as f:
            text = f.read()
        target = os.path.join(SOURCES, "mypyc_%s.py" % name)
        old = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
        paths.append(target)
    return paths


def type_errors(paths):
    """mypy's verdict per module: {path: first error line} for those it refuses."""
    from mypy import api

    stdout, _, status = api.run(["--python-version", "%d.%d" % sys.version_info[:2],
                                 "--follow-imports=silent", "--no-error-summary", *paths])
    refused = {}
    for line in stdout.splitlines():
        match = re.match(r"(.+?\.py):\d+: error: ", line)
        if match:
            path = os.path.abspath(match.group(1))
            refused.setdefault(path, line.strip())
    return refused


def up_to_date(paths):
    """Whether every module's extension is newer than its source."""
    for path in paths:
        module = os.path.splitext(os.path.basename(path))[0]
        built = glob.glob(os.path.join(CACHE, module + ".*.so"))
        if not built or os.path.getmtime(built[0]) < os.path.getmtime(path):
            return False
    return True


def main(argv):
    force = parse_force(SCRIPT, argv, __doc__)
    if force is None:
        return 2
    check_prerequisites(SCRIPT, "mypyc", "mypyc",
                        "mypy (with mypyc) is not installed: pip install mypy (add --break-system-packages if pip refuses)")
    began = time.perf_counter()
    # mypy resolves `from kernels.support import …` through MYPYPATH; at run
    # time rung.py has bench/python on sys.path, so the import is the plain one.
    os.environ["MYPYPATH"] = HERE
    names = kernel_modules()
    paths = copy_sources(names)
    if not force and up_to_date(paths):
        print("mypyc modules up to date (%d kernels) in %s" % (len(paths), os.path.relpath(CACHE)))
        return 0
    refused = type_errors(paths)
    for path, line in sorted(refused.items()):
        name = os.path.basename(path)[len("mypyc_"):-len(".py")]
        sys.stderr.write("build_mypyc.py: not compiled: %s: %s\n" % (name, line.split(": error: ", 1)[-1]))
    with open(os.path.join(CACHE, "refused.json"), "w", encoding="utf-8") as f:
        json.dump({os.path.basename(p)[len("mypyc_"):-len(".py")]: line.split(": error: ", 1)[-1]
                   for p, line in refused.items()}, f)
    compiled = [p for p in paths if p not in refused]
    if not compiled:
        sys.stderr.write("build_mypyc.py: mypyc compiled no kernel\n")
        return 1
    from mypyc.build import mypycify

    with contextlib.redirect_stdout(sys.stderr), contextlib.chdir(SOURCES):
        try:
            extensions = mypycify([os.path.basename(p) for p in compiled], opt_level="3",
                                  target_dir=os.path.join(CACHE, "c"))
        except (Exception, SystemExit) as error:  # mypy's CompileError, or its exit on errors
            sys.stderr.write("build_mypyc.py: mypyc failed: %s\n" % error)
            return 1
        for extension in extensions:
            extension.extra_compile_args = list(extension.extra_compile_args or []) + ["-ffp-contract=off"]
        if not build_extensions(SCRIPT, extensions, CACHE, True):
            return 1
    modules = ", ".join(os.path.basename(p)[:-3] for p in compiled)
    print("built %d mypyc modules (%s) into %s in %.1f s"
          % (len(compiled), modules, os.path.relpath(CACHE), time.perf_counter() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
