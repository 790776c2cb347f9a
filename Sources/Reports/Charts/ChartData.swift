// What the report's charts draw, derived from a run in one place, so every
// chart and table shows the same numbers with the same rounding.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

// MARK: - Ladder rungs

/// One rung of a kernel's ladder as a chart draws it.
struct ChartRung: Equatable {
  enum Kind: Equatable {
    /// A measured Swift or C cell.
    case cell(CellID)
    /// A rung outside the Swift matrix (CPython, PyPy, Cython, …), drawn in its own colour.
    case interpreted
  }

  /// `debug·idiomatic·1`, or the interpreted rung's name.
  var label: String
  var kind: Kind
  /// Median seconds per run; nil when the rung was not measured or failed.
  var seconds: Double?
  /// Why there is no time (`not measured`, `FAIL: …`); nil when there is one.
  var missing: String?

  var cell: CellID? {
    if case .cell(let id) = kind { id } else { nil }
  }
}

/// What the report's charts draw, from one run: each kernel's rungs with
/// their gains, the configurations measured, the thread-scaling series and
/// what the run lacks. Every chart and table of the report reads the same
/// numbers from here.
package struct ChartData: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  // MARK: - Ladder rungs

  /// A kernel's ladder, slowest rung first: the one list every ladder chart
  /// draws. Interpreted rungs (Python and friends), when a run carries them,
  /// belong at the front of this list, before `debug·idiomatic·1`.
  func rungs(for kernel: String) -> [ChartRung] {
    // Python rungs that ran (a kernel without a Cython port is skipped, not drawn).
    let python = InterpretedTable(results).ladder(for: kernel).filter { !$0.skipped }.map { cell in
      ChartRung(
        label: cell.id.rung, kind: .interpreted, seconds: cell.median,
        missing: cell.median == nil ? "FAIL: \(cell.verification.detail)" : nil)
    }
    return python + LadderView(results).rungs(for: kernel).map { id in
      guard let cell = results.cell(id) else {
        return ChartRung(label: id.rung, kind: .cell(id), seconds: nil, missing: "not measured")
      }
      if cell.failed {
        return ChartRung(
          label: id.rung, kind: .cell(id), seconds: nil, missing: "FAIL: \(cell.verification.detail)")
      }
      guard let median = cell.median else {
        return ChartRung(label: id.rung, kind: .cell(id), seconds: nil, missing: "not timed")
      }
      return ChartRung(label: id.rung, kind: .cell(id), seconds: median, missing: nil)
    }
  }

  /// The speed-up of every rung over the previous rung that has a time (as the table's ×prev).
  func rungGains(_ rungs: [ChartRung]) -> [Double?] {
    var previous: Double?
    return rungs.map { rung in
      guard let seconds = rung.seconds, seconds > 0 else { return nil }
      defer { previous = seconds }
      return previous.map { $0 / seconds }
    }
  }

  // MARK: - Cells and columns

  /// Every configuration measured, in reading order: build, flavour, threads.
  var configurations: [(build: Build, flavour: Flavour, threads: Int)] {
    let ids = Set(results.cells.map { CellID(kernel: "", flavour: $0.id.flavour, build: $0.id.build, threads: $0.id.threads) })
    return ids.map { ($0.build, $0.flavour, $0.threads) }
      .sorted { ($0.build, $0.flavour, $0.threads) < ($1.build, $1.flavour, $1.threads) }
  }

  /// The cell every speed-up in a kernel's row is measured from: the first
  /// ladder rung with a time (normally `debug·idiomatic·1`), as in the tables.
  func baseline(for kernel: String) -> CellID? {
    LadderView(results).rungs(for: kernel).first { results.median($0) != nil }
  }

  /// Median process CPU seconds per run of a measured, verified cell.
  func cpuMedian(_ id: CellID) -> Double? {
    guard let cell = results.cell(id), !cell.failed, !cell.cpuSamples.isEmpty else { return nil }
    return SampleStatistics.median(cell.cpuSamples)
  }

  /// The flavour and build whose thread scaling the charts show: the ladder's
  /// top rung (native C vectors, say), release C, or the flavour measured on
  /// most thread counts.
  func scalingSeries(for kernel: String) -> (build: Build, flavour: Flavour)? {
    let top = LadderView(results).steps(for: kernel).last { $0.kind == .cores }.map { [($0.from.0, $0.from.1)] } ?? []
    let candidates = top + [Flavour.c, .unsafe, .idiomatic].flatMap { f in [Build.release, .debug].map { ($0, f) } }
    let counts = candidates.map { candidate in
      results.cells.filter { $0.id.kernel == kernel && $0.id.build == candidate.0 && $0.id.flavour == candidate.1 && $0.median != nil }.count
    }
    guard let best = counts.max(), best > 1 else { return nil }
    return candidates[counts.firstIndex(of: best)!]
  }

  /// Measured (threads, speed-up over one thread) points of a series.
  func scalingPoints(kernel: String, build: Build, flavour: Flavour) -> [(threads: Int, speedup: Double, id: CellID)] {
    let single = CellID(kernel: kernel, flavour: flavour, build: build, threads: 1)
    return results.settings.threads.compactMap { threads in
      let id = CellID(kernel: kernel, flavour: flavour, build: build, threads: threads)
      return results.speedup(from: single, to: id).map { (threads, $0, id) }
    }
  }

  // MARK: - What is missing

  /// A cell no run measures: a flavour the kernel does not have (vectors where
  /// they do not apply, with the reason in `explain`), or one a process-backend
  /// run cannot split, or the debug build's Swift vector cells, which the
  /// default run leaves out (unspecialised SIMD operators at -Onone).
  static func leftOutByDesign(_ id: CellID) -> Bool {
    guard let kernel = Kernels.kernel(named: id.kernel) else { return false }
    return kernel.notApplicable(id.flavour) != nil || (id.build == .debug && id.flavour == .vector)
  }

  /// Sentences naming what this run lacks for a full report: failed cells,
  /// builds or rungs not measured, thread counts short of a sweep.
  package func missingParts() -> [String] {
    guard !results.cells.isEmpty else { return ["No cells were measured: the results file holds no cells."] }
    var out: [String] = []
    if results.incomplete == true {
      // `report --from` an interrupted run's file: the report must not look whole.
      out.append("The run was interrupted (the file is marked incomplete): the kernels measured are only \(results.kernels.joined(separator: ", ")).")
    }
    let measuredBuilds = Set(results.cells.map(\.id.build))
    for build in Build.allCases where !measuredBuilds.contains(build) {
      out.append("The \(build.rawValue) build was not measured (skipped, or it failed to build).")
    }
    for cell in results.cells where cell.failed {
      out.append("FAIL \(cell.id): \(cell.verification.detail)")
    }
    let flavours = Set(results.cells.map(\.id.flavour))
    for kernel in results.kernels {
      let ladder = LadderView(results).rungs(for: kernel)
      let absent = rungs(for: kernel).filter { $0.missing == "not measured" }.map(\.label)
      if !absent.isEmpty {
        out.append("\(kernel): ladder rung\(absent.count > 1 ? "s" : "") \(absent.joined(separator: ", ")) not measured.")
      }
      // The rest of the matrix the run set out to measure: its builds, flavours and thread counts.
      let others = measuredBuilds.sorted().flatMap { build in
        flavours.sorted().flatMap { flavour in
          results.settings.threads.map { CellID(kernel: kernel, flavour: flavour, build: build, threads: $0) }
        }
      }.filter { results.cell($0) == nil && !ladder.contains($0) && !Self.leftOutByDesign($0) }
      if !others.isEmpty {
        out.append("\(kernel): cell\(others.count > 1 ? "s" : "") \(others.map(\.rung).joined(separator: ", ")) not measured.")
      }
    }
    let cores = results.provenance.cores
    let sweep = sweepThreads(cores: cores)
    if results.settings.threads.count < 2 {
      out.append("Only one thread count (\(results.settings.threads.map(String.init).joined())) was measured: no thread scaling to draw.")
    } else if !Set(sweep).isSubset(of: Set(results.settings.threads)) {
      let absent = sweep.filter { !results.settings.threads.contains($0) }.map(String.init).joined(separator: ", ")
      out.append("Thread counts \(absent) were not measured (`--threads sweep` measures \(sweep.map(String.init).joined(separator: ", ")) on \(cores) cores).")
    }
    return out
  }
}

// MARK: - Amdahl's law

/// Amdahl's law fitted to measured speed-ups: S(n) = 1 / (s + (1 − s) / n).
/// On a machine with fewer cores than threads, n is the cores actually
/// available, min(threads, cores): more threads than cores add no parallelism,
/// so the curve flattens there and the points beyond show oversubscription's cost.
struct AmdahlFit: Equatable {
  /// The fitted serial fraction, 0…1.
  var serialFraction: Double
  var cores: Int

  func speedup(threads: Double) -> Double {
    let n = min(threads, Double(cores))
    return 1 / (serialFraction + (1 - serialFraction) / n)
  }

  /// The least-squares fit of `s` over the points: a fine grid over 0…1, then
  /// golden-section refinement around its best cell. Needs a point beyond one thread.
  init?(points: [(threads: Int, speedup: Double)], cores: Int) {
    guard points.contains(where: { $0.threads > 1 && min($0.threads, cores) > 1 }) else { return nil }
    self.cores = cores
    func error(_ s: Double) -> Double {
      let fit = AmdahlFit(serialFraction: s, cores: cores)
      return points.reduce(0) { sum, point in
        let d = fit.speedup(threads: Double(point.threads)) - point.speedup
        return sum + d * d
      }
    }
    let grid = (0...1000).map { Double($0) / 1000 }
    let best = grid.min { error($0) < error($1) }!
    var (a, b) = (max(best - 0.001, 0), min(best + 0.001, 1))
    let ratio = (5.0.squareRoot() - 1) / 2
    for _ in 0..<60 {
      let c = b - ratio * (b - a)
      let d = a + ratio * (b - a)
      if error(c) < error(d) { b = d } else { a = c }
    }
    serialFraction = (a + b) / 2
  }

  init(serialFraction: Double, cores: Int) {
    self.serialFraction = serialFraction
    self.cores = cores
  }
}
