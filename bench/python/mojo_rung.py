"""The Mojo rungs: the ports in bench/mojo/, built by build_mojo.py into
bench/.cache/mojo/NAME, driven by rung.py with `--impl mojo` (the scalar port:
the C flavour's algorithm) or `--impl mojo-simd` (the port with the Swift
vector flavour's lanes and algorithm), `--mode serial` (one thread) or
`--mode parallel --workers W` (the same chunks on W threads).

rung.py owns the timing protocol (sampling.py), as for every rung; the Mojo binary times its
own runs (its monotonic clock around R back-to-back runs), so no pipe or Python
call is inside a sample. The conversation (bench/mojo/driver.mojo):

    scalar|simd WORKERS SIZE        argv of bench/.cache/mojo/NAME; it builds the input, then prints "ready SETUP_NS"
    run R                           → "NS OUTPUT": R runs, the last run's output
    quit

OUTPUT is one line that `decode` turns into what the plain kernel's `run`
returns, so the plain kernel's `result` makes the text, checksum and values:
the same code that makes every other Python rung's answer.
"""

import json
import os
import struct
import subprocess
import time

from sampling import take_samples

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCES = os.path.join(ROOT, "bench", "mojo")
CACHE = os.path.join(ROOT, "bench", ".cache", "mojo")
#: The version the ports are written for: `pip install mojo==1.2.0`.
PINNED = "1.2.0"
HINT = "pip install mojo==%s, then python3 bench/python/build_mojo.py" % PINNED

#: Kernels with a Mojo port (bench/mojo/NAME.mojo, NAME with _ for -).
PORTS = ["mandelbrot", "nbody", "spectral-norm", "fannkuch-redux", "matmul", "triad", "sieve", "nqueens"]
#: Kernels whose port has a SIMD variant (the kernels with a Swift vector flavour).
SIMD = ["mandelbrot", "nbody", "spectral-norm", "matmul", "triad"]
#: Why a kernel has no Mojo port, or no SIMD variant.
NOT_PORTED = {
    "binary-trees": "not ported: the kernel measures allocation of one heap object per node",
    "k-nucleotide": "not ported: hash-table counting of string k-mers",
}
NO_SIMD = "no SIMD variant: the kernel has no Swift vector flavour to match"


def source_name(kernel):
    return kernel.replace("-", "_")


def binary(kernel):
    return os.path.join(CACHE, source_name(kernel))


def version():
    """`Mojo 1.2.0 (2016d0cd)` as the build recorded it, or None when not built."""
    path = os.path.join(CACHE, "version.txt")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def build_failure(kernel):
    """The compiler's first error line for a port that did not build, or None."""
    path = os.path.join(CACHE, "failed.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f).get(kernel)


# MARK: - Outputs


def _double(bits):
    return struct.unpack("<d", struct.pack("<Q", int(bits)))[0]


def decode(kernel, size, text):
    """The Mojo port's output line as the plain kernel's `run` returns it."""
    fields = text.split()
    if kernel == "mandelbrot":
        return bytes.fromhex(fields[0]) if fields else b""
    if kernel == "nbody":
        return _double(fields[0]), _double(fields[1])
    if kernel == "spectral-norm":
        return _double(fields[0])
    if kernel == "fannkuch-redux":
        return int(fields[0]), int(fields[1])
    if kernel == "matmul":
        entries = [float(int(f)) for f in fields]
        return [entries[i * size:(i + 1) * size] for i in range(size)]
    if kernel == "triad":
        return _double(fields[0]), int(fields[1])
    return int(fields[0])  # sieve, nqueens


def answer(kernel, module, state, output):
    """The (text, checksum, values) triple, by the plain kernel's `result` from
    what its `run` returns, except triad: its port sums a itself (n doubles do
    not travel through a pipe), and the text and checksum are made here exactly
    as kernels/triad.py's `result` makes them from those two sums."""
    if kernel != "triad":
        return module.result(state, decode(kernel, state["n"], output))
    from kernels.support import fnv1a_word, hex16

    total, weighted = decode(kernel, state["n"], output)
    n = state["n"]
    digest = fnv1a_word(weighted, fnv1a_word(int(total), fnv1a_word(n)))
    text = "sum %d · weighted %s · n %d × %d reps" % (int(total), hex16(weighted), n, module.repetitions(n))
    return text, digest, []


# MARK: - The process


class Port:
    """A running Mojo binary: one kernel, variant and worker count, input built."""

    def __init__(self, kernel, variant, workers, size):
        began = time.perf_counter()
        self.process = subprocess.Popen(
            [binary(kernel), variant, str(workers), str(size)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        line = self.process.stdout.readline().split()
        if len(line) != 2 or line[0] != "ready":
            raise RuntimeError("the Mojo port did not start: %s" % self.error())
        self.setup_seconds = int(line[1]) / 1e9
        self.start_seconds = time.perf_counter() - began

    def runs(self, count):
        """(seconds for `count` back-to-back runs, the last run's output line)."""
        self.process.stdin.write("run %d\n" % count)
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Mojo port stopped: %s" % self.error())
        ns, _, output = line.rstrip("\n").partition(" ")
        return int(ns) / 1e9, output

    def error(self):
        self.process.kill()
        said = self.process.stderr.read().strip().splitlines()
        return said[-1] if said else "exit status %s" % self.process.wait()

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
            except BrokenPipeError:
                pass
            self.process.wait(timeout=10)


def measure(kernel, module, size, variant, workers, samples, min_time, max_seconds, long_run):
    """rung.measure's protocol on a Mojo port: a cold run, warm-up, calibration,
    then the samples, each the port's own time for runs_per_sample runs.

    Returns (result triple, sample list, runs per sample, setup seconds, notes).
    """
    began = time.perf_counter()
    port = Port(kernel, variant, workers, size)
    state = {"n": size}
    try:
        first, output = port.runs(1)
        first_answer = answer(kernel, module, state, output)
        taken, runs_per_sample, notes, output = take_samples(
            port.runs, first, samples, min_time, max_seconds, began, long_run)
        final = answer(kernel, module, state, output)
    finally:
        port.close()
    if final != first_answer:
        raise ValueError("result changed while timing: %s after %s" % (final[0], first_answer[0]))
    return first_answer, taken, runs_per_sample, port.setup_seconds, notes
