#!/usr/bin/env python3
"""Prints README.md's tables from a results file, so the figures in the README
are regenerated from a run, never typed in.

    python3 bench/readme_tables.py ladder bench/results/ladder-quick.json
    python3 bench/readme_tables.py python bench/results/python-quick.json
    python3 bench/readme_tables.py cv     bench/results/ladder-quick.json

`ladder`: one row per kernel: debug idiomatic, release scalar C, + vectors, + target CPU,
+ all cores, each with the gain over the rung to its left, and the best share of a limit.
`python`: CPython, PyPy, Cython and the Swift rungs, with the gain over CPython.
`cv`: the spread of the release cells' coefficients of variation.
`precision`: the optimised ladder rungs' precision (bench/SCHEMA.md, "Sampling"),
computed from the samples, so that runs made before the field existed compare.
Times use the harness's own rounding (three significant digits).
"""

import json
import statistics
import sys


def significant(v):
    """The harness's `significant`: three significant digits, no exponent."""
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def seconds(t):
    """The harness's formatSeconds: rounded to three digits, then the unit chosen."""
    t = float("%.3g" % t)
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if t >= scale or unit == "ns":
            return significant(t / scale) + " " + unit


def ratio(r):
    """The harness's formatRatio."""
    return significant(float("%.3g" % r)) + "×"


def failed(entry):
    return entry["verification"]["status"] in ("mismatch", "crashed", "skipped")


def medians(run):
    cells = {}
    for c in run["cells"]:
        i = c["id"]
        if not failed(c) and c.get("statistics"):
            cells[(i["kernel"], i["build"], i["flavour"], i["threads"])] = c["statistics"]["median"]
    return cells


def kernels(run):
    """The run's kernels in catalogue order (Sources/Kernels/Catalogue.swift)."""
    import os, re
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Kernels")
    types = re.findall(r"^  (\w+)\(\),", open(os.path.join(folder, "Catalogue.swift")).read(), re.M)
    order = []
    for t in types:  # each kernel's `let name = "…"` in Sources/Kernels/<Type>.swift
        found = re.search(r'let name = "([^"]+)"', open(os.path.join(folder, t + ".swift")).read())
        order += [found.group(1)] if found else []
    present = {c["id"]["kernel"] for c in run["cells"]}
    return [k for k in order if k in present] + sorted(present - set(order))


def top_threads(run):
    cores = run["provenance"]["cores"]
    fitting = [t for t in run["settings"]["threads"] if t <= cores]
    return max(fitting or [1])


def size_of(run, kernel):
    return next(c["size"] for c in run["cells"] if c["id"]["kernel"] == kernel)


def ladder(run):
    """README's ladder: debug idiomatic, release scalar C, + vectors, + target CPU, + all cores."""
    cells = medians(run)
    n = top_threads(run)
    print("| kernel (quick size) | debug·idiomatic·1 | release·c·1 | + vectors | + target CPU | + %d cores "
          "| total | best share of limit |" % n)
    print("|---|" + "---:|" * 7)
    for k in kernels(run):
        have = lambda r: (k,) + r in cells
        top = "c-vector" if have(("release", "c-vector", 1)) else "c"
        build = "native" if have(("native", top, 1)) else "release"
        columns = [("debug", "idiomatic", 1), ("release", "c", 1),
                   ("release", "c-vector", 1) if top == "c-vector" else None,
                   (build, top, 1) if build == "native" else None, (build, top, n) if n > 1 else None]
        row, previous, first = [], None, None
        for r in columns:
            t = cells.get((k,) + r) if r else None
            if t is None:
                row.append("—")
                continue
            row.append(seconds(t) + (" (%s)" % ratio(previous / t) if previous else ""))
            previous, first = t, first or t
        total = ratio(first / previous) if first and previous and first != previous else "—"
        print("| %s (%s) | %s | %s | %s |" % (k, size_of(run, k), " | ".join(row), total, best_share(run, k)))


def best_share(run, kernel):
    """The highest share of its ceiling any of the kernel's cells reached, naming the ceiling."""
    rated = [c["rate"] for c in run["cells"]
             if c["id"]["kernel"] == kernel and not failed(c) and c.get("rate", {}).get("percentOfLimit") is not None]
    if not rated:
        return "(no ceiling)"
    best = max(rated, key=lambda r: r["percentOfLimit"])
    ceiling = best.get("ceiling")  # issue 24's field; older files name the limit in words only
    if ceiling is None:
        ceiling = "bandwidth" if "bandwidth" in best.get("limit", "") or "triad" in best.get("limit", "") else "peak"
    what = {"multiply-add": "peak", "divide + square root": "divide + √"}.get(ceiling, ceiling)
    share = best["percentOfLimit"]
    return ("≈ 100%% of %s" % what) if share >= 97 else ("%.0f%% of %s" % (share, what))


def python(run):
    cells = medians(run)
    interpreted = {}
    for c in run.get("interpreted", []):
        i = c["id"]
        if i["mode"] == "serial" and not failed(c) and c.get("statistics"):
            interpreted[(i["kernel"], i["implementation"])] = c["statistics"]["median"]
    n = top_threads(run)
    columns = [("CPython", ("py", "cpython")), ("PyPy", ("py", "pypy")), ("Cython", ("py", "cython")),
               ("Swift debug·idiomatic·1", ("sw", ("debug", "idiomatic", 1))),
               ("release·idiomatic·1", ("sw", ("release", "idiomatic", 1))),
               ("release·c·1", ("sw", ("release", "c", 1))),
               ("release·c·%d" % n, ("sw", ("release", "c", n)))]
    print("| kernel | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for k in kernels(run):
        base = interpreted.get((k, "cpython"))
        row = []
        for name, (kind, key) in columns:
            t = interpreted.get((k, key)) if kind == "py" else cells.get((k,) + key)
            if t is None:
                row.append("—")
            elif name == "CPython" or base is None:
                row.append(seconds(t))
            else:
                row.append("%s (%s)" % (seconds(t), ratio(base / t)))
        print("| %s (%s) | %s |" % (k, size_of(run, k), " | ".join(row)))


def cv(run):
    release = [c["statistics"]["cv"] for c in run["cells"]
               if c["id"]["build"] == "release" and c.get("statistics") and not failed(c)]
    over3 = sum(1 for v in release if v > 0.03)
    over5 = sum(1 for v in release if v > 0.05)
    print("release cells: %d; CV median %.1f%%, max %.1f%%; %d above 3%%, %d above 5%%"
          % (len(release), 100 * statistics.median(release), 100 * max(release), over3, over5))


def median_precision(samples):
    """MeasurementKit's medianPrecision: the order-statistic 95% interval's half-width ÷ median."""
    n = len(samples)
    if n < 2:
        return None
    s = sorted(samples)
    k, below, term = 1, 0.5 ** n, 0.5 ** n
    while k < (n + 1) // 2:
        term *= (n - k + 1) / k
        if below + term > 0.025:
            break
        below += term
        k += 1
    return (s[n - k] - s[k - 1]) / (2 * statistics.median(s))


def optimised_rungs(run, kernel):
    """The optimised rungs of a kernel's ladder (Reports/Ladder.swift)."""
    have = {(c["id"]["build"], c["id"]["flavour"], c["id"]["threads"]) for c in run["cells"]
            if c["id"]["kernel"] == kernel and not failed(c)}
    top = "c-vector" if ("release", "c-vector", 1) in have else "c"
    rungs = [("release", f, 1) for f in ("idiomatic", "unsafe", "c")]
    if top == "c-vector":
        rungs.append(("release", "c-vector", 1))
    build = "native" if ("native", top, 1) in have else "release"
    if build == "native":
        rungs.append(("native", top, 1))
    threads = max(t for t in run["settings"]["threads"] if t <= run["provenance"]["cores"])
    if threads > 1:
        rungs.append((build, top, threads))
    return [r for r in rungs if r in have]


def precision(run):
    cells = {(c["id"]["kernel"], c["id"]["build"], c["id"]["flavour"], c["id"]["threads"]): c
             for c in run["cells"]}
    kernels = sorted({c["id"]["kernel"] for c in run["cells"]})
    chosen = [cells[(k,) + r] for k in kernels for r in optimised_rungs(run, k)]
    p = [median_precision(c["samples"]) for c in chosen]
    p = [v for v in p if v is not None]
    cvs = [c["statistics"]["cv"] for c in chosen]
    n = [len(c["samples"]) for c in chosen]
    print("optimised ladder rungs: %d; samples median %d (%d…%d); precision median %.1f%%, max %.1f%%; CV median %.1f%%"
          % (len(chosen), statistics.median(n), min(n), max(n), 100 * statistics.median(p), 100 * max(p),
             100 * statistics.median(cvs)))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("ladder", "python", "cv", "precision"):
        sys.exit(__doc__)
    with open(sys.argv[2]) as f:
        run = json.load(f)
    {"ladder": ladder, "python": python, "cv": cv, "precision": precision}[sys.argv[1]](run)
