"""What the C-extension builders share (build_cython.py, build_mypyc.py): the
prerequisites check with its one-line hints (exit 4), the --force argument,
and setuptools' build_ext into a cache folder with compiler chatter on stderr.
"""

import os
import platform
import shutil
import sys
import sysconfig

EXIT_MISSING = 4


def missing(script, what):
    """One line on stderr naming what is missing and how to get it; exit 4."""
    sys.stderr.write("%s: %s\n" % (script, what))
    sys.exit(EXIT_MISSING)


def check_prerequisites(script, rung, module, install):
    """CPython, `module` (the compiler, installed by `install`), setuptools,
    the Python headers and a C compiler; exits 4 at the first one missing."""
    if platform.python_implementation() != "CPython":
        missing(script, "the %s rung is built and run with CPython (python3), not %s"
                % (rung, platform.python_implementation()))
    try:
        __import__(module)
    except ImportError:
        missing(script, install)
    try:
        import setuptools  # noqa: F401
    except ImportError:
        missing(script, "setuptools is not installed: pip install setuptools")
    include = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        missing(script, "no Python headers (%s/Python.h): apt-get install python3-dev" % include)
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        missing(script, "no C compiler (%s): apt-get install gcc" % compiler)


def parse_force(script, argv, doc):
    """True for --force; None, after one line on stderr, for any other
    argument. --help prints `doc` (the script's docstring) and exits 0."""
    if "--help" in argv or "-h" in argv:
        print(doc.strip())
        sys.exit(0)
    unknown = [a for a in argv if a != "--force"]
    if unknown:
        sys.stderr.write("%s: unknown argument %s (only --force)\n" % (script, unknown[0]))
        return None
    return "--force" in argv


def build_extensions(script, extensions, cache, force):
    """setuptools' build_ext for `extensions` into `cache` (objects in
    cache/tmp); call with stdout redirected to stderr. Returns False after one
    line on stderr when a compile fails."""
    from setuptools import Distribution

    distribution = Distribution({"ext_modules": extensions, "script_name": script})
    build = distribution.get_command_obj("build_ext")
    build.build_lib = cache
    build.build_temp = os.path.join(cache, "tmp")
    build.force = force
    try:
        distribution.run_command("build_ext")
    except Exception as error:  # a compile error: setuptools raises CompileError and friends
        sys.stderr.write("%s: build failed: %s\n" % (script, error))
        return False
    return True
