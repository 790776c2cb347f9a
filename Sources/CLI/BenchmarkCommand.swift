// The `benchmark` command: parse → run → print. Kept thin; the work is elsewhere.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

package enum BenchmarkCommand {
  /// Runs the command line `arguments` (without the program name) and
  /// returns the exit status (`ExitStatus`): 0 fine, 1 a cell failed, 2 bad
  /// usage, 3 inconclusive gates with `--strict`, 4 a file could not be written.
  package static func main(_ arguments: [String]) -> Int32 {
    unblockInterruptSignals()
    defer { MeasuringSession.shared.finish() }  // the lock and the machine's load, if anything was measured
    do {
      switch try Command.parse(arguments) {
      case .help:
        writeStandardOutput(helpText)
        return 0
      case .version:
        writeStandardOutput("SpeedLadder \(speedLadderVersion)\n")
        return 0
      case .list:
        writeStandardOutput(listText())
        return 0
      case .explain(let options):
        return try Explain.main(options)
      case .worker(let options):
        return try Worker.main(options)
      case .chunks(let job):
        return ChunksWorker.main(job)
      case .concurrency(let options):
        MeasuringSession.shared.begin(progress: ProgressLine())
        return try Concurrency.main(options)
      case .compare(let options):
        return try CompareCommand.main(options)
      case .run(let options):
        return try run(options)
      case .report(let options):
        return try report(options)
      case .gate(let options):
        return try GateCommand.main(options)
      }
    } catch let error as UsageError {
      writeStandardError("error: \(error.message)\n")
      return ExitStatus.usage
    } catch let error as WriteError {
      writeStandardError("error: \(error)\n")
      return ExitStatus.writeFailed
    } catch {
      writeStandardError("error: \(error)\n")
      return 1
    }
  }

  static func run(_ options: RunPlan) throws -> Int32 {
    let results = try Orchestrator(options: options, progress: ProgressLine()).run()
    if let path = options.saveBaseline {
      try writeAtomically(try results.json() + Data("\n".utf8), to: path)
      writeStandardError("saved baseline to \(path) (for `benchmark gate --baseline \(path)`)\n")
    }
    if let path = options.output {
      let format = options.format ?? OutputFormat.implied(by: path) ?? .table
      try writeAtomically(try results.rendered(format), to: path)
      writeStandardOutput(results.table() + "\n")
      writeStandardError("wrote \(format.rawValue) to \(path)\n")
    } else {
      FileHandle.standardOutput.write(try results.rendered(options.format ?? .table))
    }
    MeasuringSession.shared.finish(cells: results.cells)
    writeStandardError(results.verificationLine() + "\n")
    return results.anyFailed ? 1 : 0
  }

  // MARK: - Texts

  static let helpText = """
    USAGE: benchmark [run] [options]
           benchmark list
           benchmark explain [KERNEL] [--from FILE.json]
           benchmark report [--from FILE.json] --out DIR [options]
           benchmark gate [gate options]
           benchmark compare OLD.json NEW.json [--force] [--format F]
           benchmark concurrency [--kernel K] [--io-threads N] [--size S]
                                 [--samples N] [--min-time MS]
           benchmark --help | --version

    Measures SpeedLadder's kernels in three flavours (idiomatic Swift, unsafe
    Swift, C), in a debug and a release build, on one thread and on all cores;
    checks that every cell computed the same answer; prints each kernel's
    ladder and how the steps compound. Launched from one build configuration,
    it builds the other with `swift build -c …` and runs it as a worker.

    SUBCOMMANDS:
      run (default)       Measure and report.
      list                The kernels, their bottlenecks and sizes.
      explain [KERNEL]    Why each rung gains what it gains: for one kernel, its
                          ladder with the reasons from its documentation; without
                          one, each step over all kernels. Measures first (the
                          kernel's cells, or the default run) unless --from names
                          a saved run; takes --size, --min-time, --samples, --threads
                          and --interpreters (Python rungs first).
      report              Write DIR/index.html (one self-contained page: inline
                          SVG charts, no scripts), DIR/report.md and the SVGs:
                          the ladder, a speed-up heat map, thread scaling with
                          a fitted Amdahl curve, CPU time against elapsed.
                          --from FILE draws a saved run (`--output x.json`);
                          without it, measures first (the options below).
      gate                CI timing gates from bench/gates.json: pass, fail or
                          inconclusive per gate (see bench/GATES.md).
      compare             Two runs saved with --output FILE.json, cell by cell:
                          new/old with the gates' noise band (from both cells'
                          samples) and a verdict, faster, slower or same within
                          noise; then the cells only one file has. Runs from
                          another CPU, core count, Swift version or build flags
                          are refused (exit 2) unless --force. Measures nothing.
      concurrency         The Python concurrency article's lessons measured here:
                          threads with and without a GIL on CPU- and I/O-bound
                          work, worker processes (start-up shown apart), Swift
                          tasks. Measures in a release build (built first if
                          launched from debug); about 6 s plus the build.

    OPTIONS (run):
      --kernels a,b       Kernels to run (default: every CPU-bound kernel, i.e.
                          all but latency; see `benchmark list`).
      --flavours LIST     idiomatic, unsafe, c, vector, c-vector (default: all; a kernel
                          without vector flavours skips those, with the reason).
      --builds LIST       debug, release (default: both).
      --threads LIST      Thread counts; `all` is the active cores (default: 1,all);
                          `sweep` is 1, 2, … twice the cores (oversubscription).
      --size SIZE         tiny, quick, full, or a number for every selected kernel
                          (default: quick).
      --min-time MS       Minimum duration of one timed sample (default: 50).
      --samples N         Samples per cell (default: 5; debug cells whose single
                          run lasts ≥ 0.25 s take 3, and say so).
      --format FORMAT     table, json, csv, markdown (default: table, or implied by
                          the --output file's extension).
      --output FILE       Also write the results to FILE, atomically (the table
                          still goes to standard output).
      --interpreters      Also run the Python rungs (bench/python/rung.py): CPython,
                          PyPy and Cython at the same size, verified like every
                          cell and put on the ladder before Swift debug; and CPython
                          threads vs processes on mandelbrot (or nqueens). A missing
                          python3, pypy3 or Cython is skipped with one line saying
                          how to get it (SPEEDLADDER_PYTHON, SPEEDLADDER_PYPY name
                          other interpreters).
      --backend B         Who runs the multi-thread cells: threads (the harness's
                          pool, default), dispatch (concurrentPerform), tasks (a
                          TaskGroup), processes (worker processes of this binary,
                          started per run; nbody and spectral-norm are skipped:
                          they need shared memory between steps).
      --gil               Run every chunk holding one global lock, as CPython's
                          threads do; released around the latency kernel's waits.
      --time-limit S      Seconds one run of a process-backend cell may take
                          before its workers are killed (default: 120).
      --save-baseline FILE
                          Also write the results as JSON to FILE, for
                          `benchmark gate --baseline FILE`.
      --inject-slowdown KERNEL/FLAVOUR=FACTOR
                          For proving gates only: that kernel's flavour does
                          FACTOR× its real work (extra real runs, never a sleep)
                          in every build and thread count; reports say so.

    MEASURING ALONE:
      While it measures, a run holds $TMPDIR/speedladder-measuring.lock (flock(2),
      released however the run ends). A second run measuring at the same time
      warns at its start and end, and so does the first; neither stops, and the
      exit status is unchanged. A run also warns, at its start and end, when other
      processes took ≥ 10% of the CPU. Either way, measure again when it is quiet.

    OPTIONS (compare):
      --force             Compare runs from different machines or toolchains anyway.
      --format FORMAT     table, json, markdown (default: table).

    OPTIONS (gate):
      --gates FILE        The gates (default: bench/gates.json).
      --baseline FILE     A run saved with --save-baseline, for baseline gates.
      --force             Compare with a baseline from another CPU, core count
                          or build flags anyway.
      --strict            Exit 3 when a gate is inconclusive (default: exit 0
                          with a warning).
      --summary FILE      Also write a Markdown summary (for $GITHUB_STEP_SUMMARY).
      --json FILE         Also write github-action-benchmark JSON
                          (customSmallerIsBetter).
      --inject-slowdown KERNEL/FLAVOUR=FACTOR   As for run.
      -h, --help          Show this help.
      --version           Show the version.

    EXIT STATUS:
      run:  0 every cell verified · 1 a cell failed (wrong answer or crash) · 2 bad usage ·
            4 measured, but a results file could not be written.
      gate: 0 no gate failed (inconclusive ones warned about) · 1 a gate failed ·
            2 bad usage, or a bad gates or baseline file · 3 inconclusive with --strict.
      compare: 0 compared · 2 bad usage, an unreadable file, or mismatched provenance.

    EXAMPLES:
      swift run benchmark                                 # the whole ladder, quick size
      swift run benchmark --kernels mandelbrot,nbody      # two kernels
      swift run -c release benchmark --builds release --threads 1,2,4
      swift run benchmark --size tiny --samples 1 --min-time 1   # a smoke test
      swift run benchmark --output results.json           # table + JSON (bench/SCHEMA.md)
      swift run benchmark explain binary-trees            # why each rung gains, measured
      swift run benchmark explain --from results.json     # explain a saved run
      swift run benchmark --interpreters --kernels mandelbrot,nbody   # beside CPython, PyPy, Cython
      swift run benchmark report --from results.json --out report   # charts
      swift run benchmark --kernels latency,mandelbrot --gil --builds release
      swift run benchmark concurrency                     # threads, processes, tasks, GIL
      swift run -c release benchmark gate                 # the CI gates (bench/GATES.md)
      swift run benchmark compare before.json after.json  # two saved runs, cell by cell

    """

  static func listText() -> String {
    var out = "kernel".padded(16) + "bottleneck".padded(36) + "tiny".leftPadded(11)
      + "quick".leftPadded(12) + "full".leftPadded(13) + "  size parameter\n"
    for kernel in catalogue {
      out += kernel.name.padded(16) + kernel.bottleneck.padded(36)
        + String(kernel.sizes.tiny).leftPadded(11) + String(kernel.sizes.quick).leftPadded(12)
        + String(kernel.sizes.full).leftPadded(13) + "  " + kernel.parameter
        + (kernel.isIOBound ? " (I/O-bound: only with --kernels, not in the default run)" : "") + "\n"
    }
    out += "\nEach kernel: \(Flavour.allCases.map(\.rawValue).joined(separator: ", ")) flavours. Details: README.md.\n"
    return out
  }
}

