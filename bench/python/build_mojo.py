#!/usr/bin/env python3
"""Builds the Mojo rungs: bench/mojo/NAME.mojo (with the shared driver.mojo)
into bench/.cache/mojo/NAME (git-ignored) with `mojo build`, once a run.

    python3 bench/python/build_mojo.py [--mojo PATH] [--force]

`mojo` is the one on PATH unless --mojo names another (the harness passes the
one it found, or SPEEDLADDER_MOJO). The ports are written for Mojo 1.2.0
(`pip install mojo==1.2.0`); another version is used, and said so.

A port that does not compile is left out and named on stderr as
`build_mojo.py: not built: NAME: <the compiler's first error line>`, recorded in
failed.json (rung.py then skips that kernel's Mojo cells with that line); the
others are built. bench/.cache/mojo/version.txt records `mojo --version`. Exit
0 when at least one port is built (or all are up to date); 4 with one line on
stderr when mojo is missing (the line says how to install it); 1 when no port
builds. The last stdout line is the summary, ending with the compile time.
The ports are built with `--fp-mode contract=off` (FLAGS below) and for the
host CPU, mojo's default.
"""

import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mojo_rung  # noqa: E402

EXIT_MISSING = 4
#: `mojo build` fuses a + b·c into a multiply-add by default (contract=fast);
#: off, as the C flavour (FP_CONTRACT OFF), the Cython and mypyc builds
#: (-ffp-contract=off) and Swift, so that the scalar ports' results are the
#: other flavours' bit for bit. The target CPU is the host's (mojo's default).
FLAGS = ["--fp-mode", "contract=off"]


def first_error(text):
    """The compiler's first `error:` line (without the crash reporter's noise), else its first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if " error: " in line or line.startswith("error: "):
            return line.replace(mojo_rung.SOURCES + os.sep, "bench/mojo/")
    return lines[0] if lines else "no output"


def main(argv):
    if "--help" in argv or "-h" in argv:
        print(__doc__.strip())
        return 0
    force = "--force" in argv
    mojo = None
    rest = [a for a in argv if a != "--force"]
    if rest[:1] == ["--mojo"] and len(rest) >= 2:
        mojo, rest = rest[1], rest[2:]
    if rest:
        sys.stderr.write("build_mojo.py: unknown argument %s (--mojo PATH, --force)\n" % rest[0])
        return 2
    mojo = mojo or shutil.which("mojo")
    if mojo is None or not os.access(mojo, os.X_OK):
        sys.stderr.write("build_mojo.py: mojo not found: %s\n" % mojo_rung.HINT.split(", then")[0])
        return EXIT_MISSING
    began = time.perf_counter()
    probe = subprocess.run([mojo, "--version"], capture_output=True, text=True)
    described = probe.stdout.strip() or probe.stderr.strip()
    if probe.returncode != 0 or not described.startswith("Mojo"):
        sys.stderr.write("build_mojo.py: %s --version failed: %s\n" % (mojo, first_error(probe.stderr)))
        return EXIT_MISSING
    os.makedirs(mojo_rung.CACHE, exist_ok=True)
    version_path = os.path.join(mojo_rung.CACHE, "version.txt")
    old_version = open(version_path, encoding="utf-8").read().strip() if os.path.exists(version_path) else None
    driver = os.path.join(mojo_rung.SOURCES, "driver.mojo")
    built, failed, fresh = [], {}, []
    for kernel in mojo_rung.PORTS:
        source = os.path.join(mojo_rung.SOURCES, mojo_rung.source_name(kernel) + ".mojo")
        target = mojo_rung.binary(kernel)
        newest = max(os.path.getmtime(source), os.path.getmtime(driver))
        if (not force and old_version == described and os.path.exists(target)
                and os.path.getmtime(target) >= newest):
            fresh.append(kernel)
            continue
        if os.path.exists(target):
            os.remove(target)
        compiled = subprocess.run([mojo, "build", *FLAGS, "-I", mojo_rung.SOURCES, source, "-o", target],
                                  capture_output=True, text=True)
        if compiled.returncode != 0 or not os.path.exists(target):
            failed[kernel] = first_error(compiled.stderr + compiled.stdout)
            sys.stderr.write("build_mojo.py: not built: %s: %s\n" % (kernel, failed[kernel]))
        else:
            built.append(kernel)
    with open(version_path, "w", encoding="utf-8") as f:
        f.write(described + "\n")
    with open(os.path.join(mojo_rung.CACHE, "failed.json"), "w", encoding="utf-8") as f:
        json.dump(failed, f)
    if not built and not fresh:
        sys.stderr.write("build_mojo.py: no Mojo port built with %s\n" % described)
        return 1
    if not built:
        print("Mojo ports up to date (%d kernels, %s) in %s" % (len(fresh), described, os.path.relpath(mojo_rung.CACHE)))
        return 0
    if mojo_rung.PINNED not in described:
        sys.stderr.write("build_mojo.py: %s, not the pinned %s: built anyway\n" % (described, mojo_rung.PINNED))
    print("built %d Mojo ports (%s) with %s into %s in %.1f s"
          % (len(built), ", ".join(built), described, os.path.relpath(mojo_rung.CACHE), time.perf_counter() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
