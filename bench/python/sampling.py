"""The timing policy every Python-driven rung shares (rung.py's interpreted
kernels, mojo_rung.py's ports), as the Swift runner: after the cold run,
warm-up of about one sample's worth of runs (PyPy's JIT compiles here) unless
a single run is long already; calibration to whole runs per sample; then the
samples, fewer when --max-seconds cannot afford them all (a note says so).
"""

import math
import time


def take_samples(runs, first, samples, min_time, max_seconds, began, long_run):
    """Times the samples with `runs(count)`, which runs `count` times back to
    back and returns (their seconds, the last run's output); `first` is the
    cold run's seconds, `began` the perf_counter() the cell started at, and a
    run of `long_run` seconds or more needs no warm-up.

    Returns (sample list, runs per sample, notes, the last run's output).
    """
    per_run = first
    if first < long_run:
        warm = 0.0
        while True:
            per_run, _ = runs(1)
            warm += per_run
            if warm >= min_time or per_run >= min_time:
                break
    runs_per_sample = max(1, int(math.ceil(min_time / max(per_run, 1e-9))))

    notes = []
    target = samples
    if max_seconds is not None:
        left = max_seconds - (time.perf_counter() - began)
        affordable = int(left // (runs_per_sample * per_run)) if per_run > 0 else samples
        target = max(1, min(samples, affordable))
        if target < samples:
            notes.append("%d of %d samples: --max-seconds %g with %.3g s a run"
                         % (target, samples, max_seconds, per_run))

    taken = []
    output = None
    for _ in range(target):
        seconds, output = runs(runs_per_sample)
        taken.append(seconds / runs_per_sample)
    return taken, runs_per_sample, notes, output
