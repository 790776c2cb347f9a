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
import platform
import shutil
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "cython")
CACHE = os.path.join(os.path.dirname(HERE), ".cache", "cython")
EXIT_MISSING = 4


def missing(what):
    sys.stderr.write("build_cython.py: %s\n" % what)
    sys.exit(EXIT_MISSING)


def check_prerequisites():
    if platform.python_implementation() != "CPython":
        missing("the Cython rung is built and run with CPython (python3), not %s"
                % platform.python_implementation())
    try:
        import Cython  # noqa: F401
    except ImportError:
        missing("Cython is not installed: pip install cython (add --break-system-packages if pip refuses)")
    try:
        import setuptools  # noqa: F401
    except ImportError:
        missing("setuptools is not installed: pip install setuptools")
    include = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        missing("no Python headers (%s/Python.h): apt-get install python3-dev" % include)
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        missing("no C compiler (%s): apt-get install gcc" % compiler)


def main(argv):
    force = "--force" in argv
    unknown = [a for a in argv if a != "--force"]
    if unknown:
        sys.stderr.write("build_cython.py: unknown argument %s (only --force)\n" % unknown[0])
        return 2
    check_prerequisites()
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

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
        distribution = Distribution({"ext_modules": modules, "script_name": "build_cython.py"})
        build = distribution.get_command_obj("build_ext")
        build.build_lib = CACHE
        build.build_temp = os.path.join(CACHE, "tmp")
        build.force = force
        try:
            distribution.run_command("build_ext")
        except Exception as error:  # a compile error: setuptools raises CompileError and friends
            sys.stderr.write("build_cython.py: build failed: %s\n" % error)
            return 1
    names = ", ".join(e.name for e in extensions)
    print("built %d Cython modules (%s) into %s" % (len(extensions), names, os.path.relpath(CACHE)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
