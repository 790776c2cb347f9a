#!/usr/bin/env python3
"""Builds the Cython rungs: bench/python/cython/cy_*.pyx into bench/.cache/cython/
(git-ignored), with the running CPython's headers and the system C compiler.

    python3 bench/python/build_cython.py          # build what is out of date
    python3 bench/python/build_cython.py --force  # rebuild everything

Exit 0 when every module is built (or up to date); 4 with one line on stderr
when Cython, setuptools, a C compiler or the Python headers are missing (the
line says how to get them); 1 when a module fails to compile.

C is compiled with -ffp-contract=off, as the C flavour is (CSources use
FP_CONTRACT OFF), so no multiply-add is fused and the floating-point results
stay bit-identical to the other flavours'.
"""

import contextlib
import glob
import os
import sys

from build_support import build_extensions, check_prerequisites, parse_force

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "cython")
CACHE = os.path.join(os.path.dirname(HERE), ".cache", "cython")
SCRIPT = "build_cython.py"


def main(argv):
    force = parse_force(SCRIPT, argv, __doc__)
    if force is None:
        return 2
    check_prerequisites(SCRIPT, "Cython", "Cython",
                        "Cython is not installed: pip install cython (add --break-system-packages if pip refuses)")
    from Cython.Build import cythonize
    from setuptools import Extension

    sources = sorted(glob.glob(os.path.join(SOURCES, "cy_*.pyx")))
    extensions = [
        Extension(os.path.splitext(os.path.basename(path))[0], [path],
                  extra_compile_args=["-O2", "-ffp-contract=off"])
        for path in sources
    ]
    os.makedirs(CACHE, exist_ok=True)
    # The kernels package is imported by the modules at run time, not here;
    # compiler chatter goes to stderr so stdout stays one summary line.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            modules = cythonize(extensions, build_dir=os.path.join(CACHE, "c"), force=force, quiet=True,
                                compiler_directives={"language_level": 3})
        except Exception as error:  # Cython's CompileError: the messages are above, on stderr
            sys.stderr.write("build_cython.py: Cython failed on %s\n" % error)
            return 1
        if not build_extensions(SCRIPT, modules, CACHE, force):
            return 1
    names = ", ".join(e.name for e in extensions)
    print("built %d Cython modules (%s) into %s" % (len(extensions), names, os.path.relpath(CACHE)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
