// `benchmark [run]`: measure every selected cell, verify, print the ladder.
// The default subcommand: its page is the global `benchmark --help`.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import Orchestration
import ProcessKit
import Reports
import Workers

extension Command {
  struct Run: Subcommand {
    var plan = RunPlan()

    static let name = "run"
    static let abstract = "Measure every selected cell, verify it, print the ladder and how the steps compound."

    static var discussion: String {
      """
      Measures SpeedLadder's kernels in \(Flavour.allCases.count) flavours (\(Flavour.validNames)), in
      \(Build.allCases.count) builds (\(names(of: Build.self).joined(separator: ", "))), on one thread and on all cores; checks that every
      cell computed the same answer; prints each kernel's ladder and how the steps
      compound. Launched from one build configuration, it builds the others with
      `swift build -c …` and runs them as workers.
      """
    }

    static var options: [Option<Run>] {
      let output: [Option<RunPlan>] = [
        Option(
          "--format", "FORMAT", help: "How to print the results.",
          default: "table, or implied by the --output file's extension (.json, .csv, .md)",
          valid: names(of: OutputFormat.self)
        ) { plan, value in plan.format = try oneOf(value, "format") },
        Option(
          "--output", "FILE",
          help: "Also write the results to FILE, atomically (the table still goes to standard output); `-` writes them to standard output instead of the table."
        ) { plan, value in
          if value != "-" { try FileChecks.checkWritable(value) }
          plan.output = value
        },
        Option(
          switch: "--interpreters",
          help: "Also run the Python rungs (bench/python/rung.py): CPython, PyPy, Cython, mypyc, NumPy, Numba and Numba parallel, and the Mojo ports (scalar and SIMD, one thread and all cores), at the same size, verified like every cell and put on the ladder before Swift debug, and CPython threads (GIL held, and Numba nogil) against processes. Cython, mypyc and Mojo are built once a run, outside the samples. A missing python3, pypy3, Cython, mypy, NumPy, Numba or mojo is skipped with one line saying how to get it (SPEEDLADDER_PYTHON, SPEEDLADDER_PYPY and SPEEDLADDER_MOJO name other programs)."
        ) { plan in plan.interpreters = true },
        Option(
          "--blas", "PATH",
          help: "The BLAS whose cblas_dgemm is matmul's tuned-library rung, measured beside the ladder on one thread and all (verified like every cell), or `off`. Without it: \(BLASLocator.environmentVariable) if set (a path or `off`, checked the same way), else Debian's libopenblas0, NumPy's bundled OpenBLAS, then libblas.so.3; none found is one line and the run goes on. A PATH that is not a loadable library with a dgemm: exit 2."
        ) { plan, value in
          try checkNamedBLAS(value, namedBy: "--blas")
          plan.blas = value
        },
      ]
      let files: [Option<RunPlan>] = [
        Option(
          "--save-baseline", "FILE", help: "Also write the results as JSON to FILE, for `benchmark gate --baseline FILE`."
        ) { plan, value in
          try FileChecks.checkWritable(value, option: "--save-baseline")
          plan.saveBaseline = value
        },
        slowdownOption,
        injectionOption,
        Option(
          "--measure", "WHAT",
          help: "time (the default), or instructions: valgrind's callgrind counts each cell's timed region (counting switched on only inside it: set-up, verification and process start are not counted). Counted cells are one-thread cells of the release build (baseline x86-64) by default; valgrind cannot run AVX-512 code, so a native count on a CPU with AVX-512 is refused. Needs valgrind (apt-get install valgrind; SPEEDLADDER_VALGRIND names another).",
          default: "time", valid: ["time", "instructions"]
        ) { plan, value in
          guard let measure = Measure(rawValue: value), measure != .both else {
            throw UsageError("--measure: '\(value)' is not time or instructions (gate also takes both)")
          }
          plan.measure = measure
        },
        Option(
          switch: "--cache-sim",
          help: "With --measure instructions: valgrind also simulates the caches, and each cell gets ESTIMATED cycles (L1 hit 1, last-level hit 5, memory 35, as Iai and CodSpeed estimate): a model that sees cache misses the count cannot, not a measurement. Slower."
        ) { plan in plan.cacheSimulation = true },
      ]
      return (MeasurementOptions.all + output + BackendOptions.all + files).map { $0.scoped(to: \.plan) }
    }

    /// `--inject-slowdown`, on `run` and `gate`.
    static var slowdownOption: Option<RunPlan> {
      Option(
        "--inject-slowdown", "KERNEL/FLAVOUR=FACTOR",
        help: "For proving gates only: that kernel's flavour does FACTOR× its real work (extra real runs, never a sleep) in every build and thread count; reports say so.",
        repeatable: true
      ) { plan, value in
        let slowdown = try Slowdown.parse(value)
        plan.slowdowns.removeAll { $0.kernel == slowdown.kernel && $0.flavour == slowdown.flavour }
        plan.slowdowns.append(slowdown)
      }
    }

    /// `--inject-work`, on `run` and `gate`.
    static var injectionOption: Option<RunPlan> {
      Option(
        "--inject-work", "KERNEL/FLAVOUR=WHAT",
        help: "For proving gates only: extra work in that kernel's flavour's timed region after each run. +2% is an extra loop costing 2% of a run (in instructions when counting, in time otherwise); sequential-pass and scattered-pass walk a 64 MiB buffer with the same instructions, in order or a page apart (cache misses the count does not see). Reports say so.",
        repeatable: true
      ) { plan, value in
        let injection = try WorkInjection.parse(value)
        plan.injections.removeAll { $0.kernel == injection.kernel && $0.flavour == injection.flavour }
        plan.injections.append(injection)
      }
    }

    static var epilogue: String {
      """
      EXIT STATUS:
        run:  \(ExitStatus.success) every cell verified · \(ExitStatus.cellFailed) a cell failed (wrong answer or crash) · \(ExitStatus.usage) bad usage ·
              \(ExitStatus.writeFailed) measured, but a results file could not be written.
        compare: \(ExitStatus.success) compared · \(ExitStatus.usage) bad usage, an unreadable file, or mismatched provenance.
        gate: \(ExitStatus.success) no gate failed (inconclusive ones warned about) · \(ExitStatus.cellFailed) a gate failed ·
              \(ExitStatus.usage) bad usage, or a bad gates or baseline file · \(ExitStatus.inconclusive) inconclusive with --strict.
        any:  130 interrupted (Ctrl-C, SIGINT) · 143 stopped (SIGTERM): what was finished is kept and said in one
              line, no file is left half-written; a second signal stops at once.

      EXAMPLES:
        swift run benchmark                                 # the whole ladder, quick size
        swift run benchmark --kernels mandelbrot,nbody      # two kernels
        swift run -c release benchmark --builds release --threads 1,2,4
        swift run benchmark --size tiny --samples 1 --min-time 1   # a smoke test
        swift run benchmark --size quick,mandelbrot=4000    # one kernel bigger
        swift run benchmark --output results.json           # table + JSON (bench/SCHEMA.md)
        swift run benchmark --format json --output - | jq .cells   # JSON on standard output
        swift run benchmark explain binary-trees            # why each rung gains, measured
        swift run benchmark explain --from results.json     # explain a saved run
        swift run benchmark --interpreters --kernels mandelbrot,nbody   # beside CPython, PyPy, Cython
        swift run benchmark report --from results.json --out report   # charts
        swift run benchmark --kernels latency,mandelbrot --gil --builds release
        swift run benchmark concurrency                     # threads, processes, tasks, GIL
        swift run -c release benchmark gate                 # the CI gates (bench/GATES.md)
        swift run benchmark compare before.json after.json  # two saved runs, cell by cell

      MEASURING ALONE:
        While it measures, a run holds $TMPDIR/speedladder-measuring.lock (flock(2),
        released however the run ends). A second run measuring at the same time
        warns at its start and end, and so does the first; neither stops, and the
        exit status is unchanged. A run also warns, at its start and end, when other
        processes took ≥ 10% of the CPU. Either way, measure again when it is quiet.
      """
    }

    /// A library named by `--blas` or the environment must load and have a
    /// dgemm (`off` names none): exit 2 with one line, before measuring.
    static func checkNamedBLAS(_ path: String, namedBy name: String) throws {
      guard path != "off" else { return }
      do { _ = try BLASLibrary(path: path) } catch { throw UsageError("\(name): \(error)") }
    }

    mutating func validate() throws {
      _ = try plan.sizes()  // every selected kernel can take the size
      try FileChecks.distinct(
        [plan.output.flatMap { $0 == "-" ? nil : NamedFile("--output", $0, written: true) },
         plan.saveBaseline.map { NamedFile("--save-baseline", $0, written: true) }].compactMap { $0 })
      // SPEEDLADDER_BLAS names a library like --blas does, and is checked like it.
      let named = ProcessInfo.processInfo.environment[BLASLocator.environmentVariable] ?? ""
      if plan.blas == nil, !named.isEmpty, plan.kernels.contains("matmul") {
        try Self.checkNamedBLAS(named, namedBy: BLASLocator.environmentVariable)
      }
    }

    func run() throws -> Int32 {
      if plan.measure == .instructions { return try countedRun() }
      let format = plan.format ?? plan.output.flatMap(OutputFormat.implied(by:)) ?? .table
      // The table goes to standard output as the run goes: each kernel's
      // ladder as soon as its cells are measured and checked, the summary at
      // the end. Another format on standard output comes whole, at the end.
      let writesFile = plan.output.map { $0 != "-" } ?? false
      let streamsTable = writesFile || format == .table
      var orchestrator = Orchestrator(options: plan, progress: ProgressLine())
      var started = false
      if streamsTable {
        orchestrator.kernelFinished = { results, kernel in
          let table = TextTable(results)
          if !started { writeStandardOutput(table.header + "\n") }
          started = true
          writeStandardOutput("\n" + table.kernelTable(kernel))
        }
      }
      let results = try orchestrator.run()
      if streamsTable {
        let table = TextTable(results)
        if !started { writeStandardOutput(table.header + "\n") }
        writeStandardOutput("\n" + table.footer + "\n")
      }
      if results.incomplete == true {
        writeStandardError(
          "interrupted: \(counted(results.kernels.count, "kernel")) of \(plan.kernels.count) measured\(results.kernels.isEmpty ? "" : ", kept as an incomplete run")\n")
      }
      if let path = plan.saveBaseline, results.incomplete != true {
        try writeFile(try results.json() + Data("\n".utf8), to: path)
        writeStandardError("saved baseline to \(path) (for `benchmark gate --baseline \(path)`)\n")
      }
      if let path = plan.output, writesFile {
        let kept = results.incomplete == true ? Self.keptPath(for: path, cells: results.cells.count) : path
        if kept != path {
          writeStandardError(
            "interrupted: \(path) left as it was (it holds more than the \(counted(results.cells.count, "cell")) this run kept, or is not a results file); the kept cells go to \(kept)\n")
        }
        try writeFile(try Rendering.data(results, as: format), to: kept)
        writeStandardError("wrote \(format.rawValue) to \(kept)\(results.incomplete == true ? " (marked incomplete)" : "")\n")
      } else if !streamsTable {
        writeStandardOutput(try Rendering.data(results, as: format))
      }
      MeasuringSession.shared.finish(cells: results.cells)
      writeStandardError(VerificationSummary(results).line + "\n")
      if results.incomplete == true { return Interruption.exitStatus }
      return results.anyFailed ? ExitStatus.cellFailed : ExitStatus.success
    }

    /// `--measure instructions`: each cell's timed region counted under
    /// valgrind (MeasurementKit/Counting.swift); one-thread cells of the
    /// release build unless `--builds` names others. A table of counts on
    /// standard output; `--output` gets the counts in JSON, CSV or Markdown.
    func countedRun() throws -> Int32 {
      var plan = self.plan
      plan.valgrind = try Valgrind.find()
      if plan.builds == Build.allCases { plan.builds = [.release] }
      for build in plan.builds {
        if let refusal = Valgrind.refusal(for: build) { throw UsageError("--measure instructions: \(refusal)") }
      }
      guard plan.threads.contains(1) else {
        throw UsageError("--measure instructions counts one-thread cells (valgrind counts only the thread that runs the timed region); add 1 to --threads")
      }
      plan.threads = [1]
      plan.measuresLimits = false
      if plan.cacheSimulation == true && plan.measure != .instructions {
        throw UsageError("--cache-sim needs --measure instructions")
      }
      let format = plan.format ?? plan.output.flatMap(OutputFormat.implied(by:)) ?? .table
      let results = try Orchestrator(options: plan, progress: ProgressLine()).run()
      if let path = plan.output, path != "-" {
        try writeFile(try Rendering.data(results, as: format), to: path)
        writeStandardError("wrote \(format.rawValue) to \(path)\n")
      }
      if plan.output == "-" && format != .table {
        writeStandardOutput(try Rendering.data(results, as: format))
      } else {
        writeStandardOutput("Instruction counts of each cell's timed region (valgrind callgrind), size \(plan.size)\n\n" + InstructionCountTable(results).text)
      }
      if results.incomplete == true { return Interruption.exitStatus }
      return results.anyFailed ? ExitStatus.cellFailed : ExitStatus.success
    }

    /// Where an interrupted run writes its `--output`: `path`, unless a
    /// regular file there holds more cells than the `cells` kept (or cannot
    /// be read as results, so its cells cannot be counted): then beside it,
    /// `NAME.partial.EXT`, so a good file is never replaced by part of a run.
    static func keptPath(for path: String, cells: Int) -> String {
      let target = FileTarget(path)
      guard target.kind == .regular, let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
        return path
      }
      if let old = try? RunResults.decode(data), old.cells.count <= cells { return path }
      let url = URL(fileURLWithPath: path)
      let ext = url.pathExtension
      let stem = ext.isEmpty ? url.lastPathComponent : String(url.lastPathComponent.dropLast(ext.count + 1))
      let name = ext.isEmpty ? "\(stem).partial" : "\(stem).partial.\(ext)"
      return path.contains("/") ? url.deletingLastPathComponent().appendingPathComponent(name).path : name
    }
  }
}
