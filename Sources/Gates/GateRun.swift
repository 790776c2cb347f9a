// `benchmark gate`: measure only the cells the gates need, reach a verdict per
// gate (re-measuring the ones that straddle or fail for the first time), and
// report for people and for CI.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import Orchestration
import ProcessKit
import Reports
import Workers

/// What `benchmark gate` was asked to do.
package struct GateOptions: Equatable, Sendable {
  /// nil: bench/gates.json here, or in the package this binary was built from.
  package var gates: String?
  /// The gates file used without `--gates`.
  package static var defaultGates: String { GateFile.defaultPath }
  package var baseline: String?
  /// Compare with a baseline from another CPU, core count or build flags anyway.
  package var force = false
  /// Exit 3 (not 0) when a gate is inconclusive.
  package var strict = false
  /// Markdown summary file.
  package var summary: String?
  /// github-action-benchmark JSON file (customSmallerIsBetter).
  package var json: String?
  package var slowdowns: [Slowdown] = []
  /// `--inject-work`: extra work in a cell's timed region, for proving gates.
  package var injections: [WorkInjection] = []
  /// `--measure`: which gates are judged. time (the default) judges the gates
  /// on times and skips the counted ones; instructions judges only the
  /// counted ones (valgrind needed); both judges all.
  package var measure: Measure = .time

  package init() {}

  /// Every file the gate reads or writes, for `FileChecks.distinct`.
  package func files(gates: String?) -> [NamedFile] {
    [
      gates.map { NamedFile(self.gates == nil ? "the gates file" : "--gates", $0, written: false) },
      baseline.map { NamedFile("--baseline", $0, written: false) },
      summary.map { NamedFile("--summary", $0, written: true) },
      json.map { NamedFile("--json", $0, written: true) },
    ].compactMap { $0 }
  }
}

// MARK: - Parsing


// MARK: - Running

package enum GateCommand {
  package static func main(_ options: GateOptions) throws -> Int32 {
    let started = monotonicSeconds()
    Interruption.keepGoing()  // before any child starts: an interrupt ends with no verdict (`interrupted()`)
    let location = PackageLocation.find()
    let gatesPath = gatesPath(options, location: location)
    try FileChecks.distinct(options.files(gates: gatesPath))
    let file = try GateFile.load(gatesPath)
    let cores = activeCores()
    let baseline = try options.baseline.map(loadBaseline)
    var here = Provenance.here(packageRoot: location.root)
    here.builds = [.current]
    if let baseline, !options.force, let difference = provenanceDifference(baseline.provenance, here) {
      throw UsageError("baseline \(options.baseline!): \(difference); pass --force to compare anyway")
    }

    var checks = file.checks(cores: cores, haveBaseline: baseline != nil)
    for index in checks.indices where checks[index].skipReason == nil {
      if checks[index].counted && !options.measure.counts {
        checks[index].skipReason = "judges instruction counts: run with --measure instructions or both"
      } else if !checks[index].counted && !options.measure.times {
        checks[index].skipReason = "judges times: run with --measure time or both"
      }
    }
    var needed: [CellID] = []
    var countedCells: [CellID] = []
    for check in checks where check.skipReason == nil {
      for id in check.cells where !(check.counted ? countedCells : needed).contains(id) {
        if check.counted { countedCells.append(id) } else { needed.append(id) }
      }
    }
    // Counts need valgrind, and a build valgrind can run: one line, exit 2, before anything is measured.
    var valgrind: String?
    if !countedCells.isEmpty {
      valgrind = try Valgrind.find()
      for build in countedCells.map(\.build).uniqueSorted() {
        if let refusal = Valgrind.refusal(for: build) { throw UsageError("gate: \(refusal)") }
      }
    }
    var run = RunPlan()
    run.kernels = catalogue.map(\.name).filter { name in needed.contains { $0.kernel == name } }
    run.flavours = needed.map(\.flavour).uniqueSorted()
    run.threads = needed.map(\.threads).uniqueSorted()
    run.builds = needed.map(\.build).uniqueSorted()
    run.size = file.size
    run.minTimeMilliseconds = file.minTimeMilliseconds
    run.samples = file.samples
    run.onlyCells = needed
    run.measuresLimits = false  // gates judge ratios of times; a share of a ceiling is not one of them
    run.slowdowns = options.slowdowns
    run.injections = options.injections
    for injection in options.injections
    where !(needed + countedCells).contains(where: { $0.kernel == injection.kernel && $0.flavour == injection.flavour }) {
      writeStandardError("note: --inject-work \(injection): no gate measures \(injection.kernel)·\(injection.flavour.rawValue)\n")
    }
    for slowdown in options.slowdowns
    where !needed.contains(where: { $0.kernel == slowdown.kernel && $0.flavour == slowdown.flavour }) {
      writeStandardError("note: --inject-slowdown \(slowdown): no gate measures \(slowdown.kernel)·\(slowdown.flavour.rawValue)\n")
    }
    let sizes = try run.sizes()
    if let baseline, let path = options.baseline {
      try checkBaselineCells(baseline, path: path, checks: checks, sizes: sizes, file: file)
    }

    let progress = ProgressLine()
    progress.phase("gate: \(checks.count) checks from \(file.path), \(needed.count) cells at size \(file.size)")
    var binaries: [Build: URL] = [:]
    var results = RunResults(
      settings: RunSettings(
        size: file.size.description, minTimeMilliseconds: file.minTimeMilliseconds, samples: file.samples,
        threads: run.threads),
      provenance: here, cells: [])
    if !needed.isEmpty {
      results = try Orchestrator(options: run, progress: progress).run(binaries: &binaries)
    }
    if Interruption.requested { return interrupted() }
    var counts: [CellResult] = []
    if let valgrind {
      var counted = run
      counted.onlyCells = countedCells
      counted.kernels = catalogue.map(\.name).filter { name in countedCells.contains { $0.kernel == name } }
      counted.flavours = countedCells.map(\.flavour).uniqueSorted()
      counted.threads = [1]
      counted.builds = countedCells.map(\.build).uniqueSorted()
      counted.size = file.countedSize ?? file.size
      counted.samples = CountedSampling.defaultSamples
      counted.valgrind = valgrind
      counted.measuresLimits = false
      progress.phase("gate: counting the instructions of \(countedCells.count) cells under valgrind at size \(counted.size)")
      counts = try Orchestrator(options: counted, progress: progress).run(binaries: &binaries).cells
      if Interruption.requested { return interrupted() }
    }
    if let baseline, !options.force, let difference = provenanceDifference(baseline.provenance, results.provenance) {
      throw UsageError("baseline \(options.baseline!): \(difference); pass --force to compare anyway")
    }

    var evaluator = GateEvaluator(
      checks: checks, remeasure: file.remeasure, clock: file.clock,
      cells: Dictionary(uniqueKeysWithValues: results.cells.map { ($0.id, $0) }),
      baseline: Dictionary((baseline?.cells ?? []).map { ($0.id, $0) }) { first, _ in first },
      counts: Dictionary(counts.map { ($0.id, $0) }) { first, _ in first })
    var round = 0
    let outcomes = try evaluator.evaluate { ids in
      round += 1
      var again = run
      again.onlyCells = ids
      // Alternate which build goes first, so neither is always measured on a fresher machine.
      let builds = ids.map(\.build).uniqueSorted()
      again.builds = round % 2 == 1 ? builds.reversed() : builds
      progress.phase("re-measuring \(ids.count) cell(s) of gates whose band straddles the threshold or that failed once (round \(round) of at most \(file.remeasure))")
      return try Orchestrator(options: again, progress: progress).run(binaries: &binaries).cells
    }
    if Interruption.requested { return interrupted() }
    results.cells = evaluator.cells.values.sorted { catalogue.lists($0.id, before: $1.id) }
    // A counted cell joins its timed twin of the same size (one cell, times
    // and counts), or stands alone (counted at "countedSize", timed at "size").
    for cell in counts.sorted(by: { catalogue.lists($0.id, before: $1.id) }) {
      if let index = results.cells.firstIndex(where: { $0.id == cell.id && $0.size == cell.size }),
        !results.cells[index].failed
      {
        results.cells[index].instructions = cell.instructions
        if cell.failed { results.cells[index].notes.append("counting failed: \(cell.verification.detail)") }
      } else {
        results.cells.append(cell)
      }
    }

    let report = GateReport(
      file: file, outcomes: outcomes, results: results, rounds: evaluator.rounds, slowdowns: options.slowdowns,
      injections: options.injections,
      baselinePath: options.baseline, seconds: monotonicSeconds() - started)
    // The verdicts first: a file that cannot be written (exit 4) must not hide them.
    writeStandardOutput(report.text() + "\n")
    if let path = options.summary { try writeFile(Data(report.markdown().utf8), to: path) }
    if let path = options.json { try writeFile(try report.benchmarkJSON(), to: path) }

    if outcomes.contains(where: { $0.verdict == .fail }) { return ExitStatus.cellFailed }
    if outcomes.contains(where: { $0.verdict == .inconclusive }) {
      if options.strict { return ExitStatus.inconclusive }
      writeStandardError("warning: some gates are inconclusive (noise band straddles the threshold); exit 0 without --strict\n")
    }
    return ExitStatus.success
  }

  /// Ctrl-C (or SIGTERM) during a gate run: a gate judged on part of its
  /// cells would be a guess, so no verdict and no summary file, only the exit status.
  private static func interrupted() -> Int32 {
    writeStandardError("interrupted: no gate judged, nothing written\n")
    return Interruption.exitStatus
  }

  /// `--gates`, else bench/gates.json here, else in the package this binary came from.
  private static func gatesPath(_ options: GateOptions, location: PackageLocation) -> String {
    if let path = options.gates { return path }
    if FileManager.default.fileExists(atPath: GateFile.defaultPath) { return GateFile.defaultPath }
    if let root = location.root {
      let path = root.appendingPathComponent(GateFile.defaultPath).path
      if FileManager.default.fileExists(atPath: path) { return path }
    }
    return GateFile.defaultPath
  }

  // MARK: - Baselines

  /// Reads a results file saved with `--save-baseline`; one-line errors.
  package static func loadBaseline(_ path: String) throws -> RunResults {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw UsageError("\(path): no such baseline file; save one with `benchmark run --save-baseline \(path)`")
    }
    guard !String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw UsageError("\(path): the baseline file is empty; save one with `benchmark run --save-baseline \(path)`")
    }
    if let problem = jsonProblem(data) { throw UsageError("\(path): \(problem)") }
    let results: RunResults
    do {
      results = try RunResults.decode(data)
    } catch let error as DecodingError {
      throw UsageError("\(path): not a SpeedLadder results file: \(describeDecodingError(error))")
    } catch {
      throw UsageError("\(path): not a SpeedLadder results file: \(error.localizedDescription)")
    }
    guard results.schema == RunResults.schema, results.schemaVersion == RunResults.currentSchemaVersion else {
      throw UsageError(
        "\(path): schema \(results.schema) v\(results.schemaVersion); this SpeedLadder reads \(RunResults.schema) v\(RunResults.currentSchemaVersion)")
    }
    try results.validate(path: path, context: "--baseline", catalogue: catalogue)
    // Its cells are whole, but the run it stands for is not: a baseline is
    // what a later run is judged against, so only a whole run is one.
    guard results.incomplete != true else {
      throw UsageError(
        "--baseline: '\(path)' is marked incomplete (an interrupted run); save a whole one with `benchmark run --save-baseline \(path)`")
    }
    return results
  }

  /// One phrase saying how `baseline` and `here` differ in CPU model, core
  /// count or build flags (for builds both know), or nil when they match.
  /// `names` are what the phrase calls the two (`compare` says old and new).
  static func provenanceDifference(
    _ baseline: Provenance, _ here: Provenance, names: (String, String) = ("baseline", "here")
  ) -> String? {
    let (a, b) = names
    if baseline.cpu != here.cpu { return "CPU model differs (\(a) '\(baseline.cpu)', \(b) '\(here.cpu)')" }
    if baseline.cores != here.cores { return "core count differs (\(a) \(baseline.cores), \(b) \(here.cores))" }
    for build in here.builds {
      guard let old = baseline.builds.first(where: { $0.build == build.build }) else { continue }
      if old.swiftFlags != build.swiftFlags || old.cFlags != build.cFlags || old.cOptimized != build.cOptimized {
        return "\(build.build.rawValue) build flags differ (\(a) Swift \(old.swiftFlags), C \(old.cFlags); \(b) Swift \(build.swiftFlags), C \(build.cFlags))"
      }
    }
    return nil
  }

  /// Every baseline cell a check needs must be in the file, verified, at the
  /// same size. When some are missing, the error names the one command that
  /// saves a baseline with every cell the gates need, not just the first missing one.
  static func checkBaselineCells(
    _ baseline: RunResults, path: String, checks: [GateCheck], sizes: [String: Int], file: GateFile
  ) throws {
    let needed = baselineCells(checks)
    let missing = needed.filter { baseline.cell($0) == nil }
    if let first = missing.first {
      let gates = checks.filter { check in check.terms.contains { $0.denominator == .baseline($0.denominator.id) && missing.contains($0.denominator.id) } }
        .map(\.gate.name).uniqueSorted()
      let which = missing.count == 1 ? "no cell \(first)" : "no cells \(first) and \(missing.count - 1) more"
      throw UsageError(
        "\(path): \(which) for gate\(gates.count == 1 ? "" : "s") '\(gates.joined(separator: "', '"))'; save a baseline with every cell the gates need: \(saveBaselineCommand(needed, file: file, path: path))")
    }
    for check in checks where check.skipReason == nil {
      for term in check.terms {
        guard case .baseline(let id) = term.denominator, let cell = baseline.cell(id) else { continue }
        guard !cell.failed, !cell.samples.isEmpty else {
          throw UsageError("\(path): cell \(id) failed in the baseline run: \(cell.verification.detail)")
        }
        if let size = sizes[id.kernel], size != cell.size {
          throw UsageError(
            "\(path): cell \(id) was measured at size \(cell.size); the gates measure size \(size); save a baseline at their size: \(saveBaselineCommand(needed, file: file, path: path))")
        }
        if cell.slowdown != nil {
          throw UsageError("\(path): cell \(id) was slowed by --inject-slowdown; save an honest baseline")
        }
        if cell.injection != nil {
          throw UsageError("\(path): cell \(id) has work injected by --inject-work; save an honest baseline")
        }
      }
    }
  }

  /// The baseline cells of every check that applies here, in catalogue order.
  static func baselineCells(_ checks: [GateCheck]) -> [CellID] {
    var cells: [CellID] = []
    for check in checks where check.skipReason == nil {
      for term in check.terms {
        if case .baseline(let id) = term.denominator, !cells.contains(id) { cells.append(id) }
      }
    }
    return cells.sorted(by: catalogue.lists(_:before:))
  }

  /// `benchmark run --kernels … --save-baseline PATH`: one run that measures
  /// all of `cells` (and a few more where flavours and kernels cross), with
  /// the gates file's size, samples and minimum time.
  static func saveBaselineCommand(_ cells: [CellID], file: GateFile, path: String) -> String {
    var kernels: [String] = []
    for id in cells where !kernels.contains(id.kernel) { kernels.append(id.kernel) }
    let threads = cells.map(\.threads).uniqueSorted().map { $0 == activeCores() && $0 > 1 ? "all" : String($0) }
    return "benchmark run --kernels \(kernels.joined(separator: ","))"
      + " --flavours \(cells.map(\.flavour).uniqueSorted().map(\.rawValue).joined(separator: ","))"
      + " --builds \(cells.map(\.build).uniqueSorted().map(\.rawValue).joined(separator: ","))"
      + " --threads \(threads.joined(separator: ",")) --size \(file.size)"
      + " --samples \(file.samples) --min-time \(String(format: "%g", file.minTimeMilliseconds)) --save-baseline \(path)"
  }
}
