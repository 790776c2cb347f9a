// How the interpreted rungs read in every format: their ladder rows, the
// threads-or-processes table beside the Swift threads, and the comparison with CPython.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

extension RunResults {
  // MARK: - Shared

  /// The kernel's size, from its Swift cells or else its interpreted ones.
  func size(of kernel: String) -> Int {
    cells.first { $0.id.kernel == kernel }?.size
      ?? interpreted?.first { $0.id.kernel == kernel }?.size ?? 0
  }

  /// The median the "× first" column divides by: CPython's when the run has
  /// it (so the column reads "× over CPython"), else the first Swift rung's.
  func firstRungMedian(_ kernel: String) -> Double? {
    interpretedLadder(for: kernel).lazy.compactMap(\.median).first
      ?? LadderView(self).rungs(for: kernel).lazy.compactMap { self.median($0) }.first
  }

  /// The cells of the threads-or-processes comparison for `kernel`.
  func concurrencyCells(_ kernel: String) -> [InterpretedCell] {
    (interpreted ?? []).filter { $0.id.kernel == kernel && !$0.id.isLadderRung }.sorted { $0.id < $1.id }
  }

  /// A parallel Python cell's speed-up over the same interpreter's serial cell (one worker).
  func workerSpeedup(_ cell: InterpretedCell) -> Double? {
    guard let parallel = cell.median,
      let serial = median(.python(cell.id.implementation, .serial, workers: 1), kernel: cell.id.kernel)
    else { return nil }
    return serial / parallel
  }

  // MARK: - Table

  /// An interpreted rung's row, in the columns of the Swift rows.
  func interpretedRow(_ cell: InterpretedCell, previous: Double?, first: Double?) -> String {
    let label = "  " + cell.id.rung.padded(22)
    if cell.skipped { return label + (cell.notApplicable ? "n/a" : "skipped").leftPadded(10) + "  " + cell.verification.detail }
    guard let stats = cell.statistics, !cell.failed else {
      return label + "FAIL".leftPadded(10) + "  " + cell.verification.detail
    }
    let prev = previous.map { formatRatio($0 / stats.median) } ?? "—"
    let total = first.map { formatRatio($0 / stats.median) } ?? "—"
    var notes = [cell.ranOn]
    if cell.verification.status == .reference { notes.append("✓ reference") }
    notes += cell.notes
    return label + formatSeconds(stats.median).leftPadded(10) + prev.leftPadded(9) + total.leftPadded(9)
      + "".leftPadded(16) + formatPercent(stats.cv).leftPadded(7) + "  " + notes.joined(separator: "; ")
  }

  /// CPython threads and processes beside the Swift threads on the same kernel:
  /// the speed-up of N workers over one. Empty when the run has no such cells.
  func concurrencyTable(_ kernel: String) -> String {
    let rows = concurrencyRows(kernel)
    guard let workers = concurrencyCells(kernel).first?.id.workers, !rows.isEmpty else { return "" }
    var out = "  · threads or processes? 1 → \(workers) workers (1 worker: the serial cell)\n"
    out += "    " + "how".padded(32) + "1 worker".leftPadded(10) + "\(workers) workers".leftPadded(11)
      + "speed-up".leftPadded(10) + "start-up".leftPadded(10) + "\n"
    for row in rows {
      var line = "    " + row.how.padded(32)
      if let why = row.missing {
        line += "  " + why
      } else {
        line += (row.one.map(formatSeconds) ?? "—").leftPadded(10) + (row.many.map(formatSeconds) ?? "—").leftPadded(11)
          + (row.speedup.map(formatRatio) ?? "—").leftPadded(10) + (row.startup.map(formatSeconds) ?? "").leftPadded(10)
      }
      out += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
    }
    for row in rows where !row.notes.isEmpty {
      out += "    \(row.how): \(row.notes.joined(separator: "; "))\n"
    }
    for row in rows {
      if let startup = row.startup, let one = row.one, let many = row.many {
        out += "    \(row.how) with the pool's start-up paid on every run: "
          + "\(formatRatio(one / (many + startup))) instead of \(row.speedup.map(formatRatio) ?? "—")\n"
      }
    }
    return out
  }

  private struct ConcurrencyRow {
    var how: String
    var one: Double?
    var many: Double?
    var startup: Double?
    var notes: [String] = []
    /// Why the row has no numbers (skipped or failed).
    var missing: String?
    var speedup: Double? { one.flatMap { a in many.map { a / $0 } } }
  }

  private func concurrencyRows(_ kernel: String) -> [ConcurrencyRow] {
    let python = concurrencyCells(kernel)
    guard let workers = python.first?.id.workers else { return [] }
    var rows = python.map { cell -> ConcurrencyRow in
      // Numba's threads are CPython threads too, running chunks that release the GIL.
      let how = cell.id.implementation == .numba ? "Numba nogil threads" : "\(cell.id.implementation.displayName) \(cell.id.mode.rawValue)"
      if cell.skipped { return ConcurrencyRow(how: how, missing: "skipped: \(cell.verification.detail)") }
      if cell.failed { return ConcurrencyRow(how: how, missing: "FAIL: \(cell.verification.detail)") }
      return ConcurrencyRow(
        how: how, one: median(.python(cell.id.implementation, .serial, workers: 1), kernel: kernel),
        many: cell.median, startup: cell.startupSeconds, notes: cell.notes)
    }
    for flavour in Flavour.allCases {
      let one = median(.swift(.release, flavour, threads: 1), kernel: kernel)
      let many = median(.swift(.release, flavour, threads: workers), kernel: kernel)
      guard one != nil && many != nil else { continue }
      rows.append(ConcurrencyRow(how: "Swift release·\(flavour.rawValue) threads", one: one, many: many))
    }
    return rows
  }

  // MARK: - Beside Python

  /// How far each rung is from CPython, over the kernels that have both cells.
  func besidePythonText() -> String {
    let comparisons = pythonComparisons
    guard !comparisons.isEmpty else { return "" }
    var out = "Beside Python (× over CPython on one core; geometric mean over kernels; least … most)\n"
    for comparison in comparisons {
      let least = comparison.gains.min { $0.gain < $1.gain }
      let most = comparison.gains.max { $0.gain < $1.gain }
      let range =
        if let least, let most, comparison.gains.count > 1 {
          "\(least.kernel) \(formatRatio(least.gain)) … \(most.kernel) \(formatRatio(most.gain))"
        } else {
          comparison.gains.first.map { "\($0.kernel) only" } ?? ""
        }
      out += "  " + comparison.name.padded(14) + formatRatio(comparison.geometricMean).leftPadded(8)
        + "   " + comparison.what.padded(40) + range + "\n"
    }
    return String(out.dropLast())
  }

  // MARK: - Markdown and CSV

  func interpretedMarkdownRow(_ cell: InterpretedCell, previous: Double?, first: Double?) -> String {
    let rung = "**\(cell.id.rung)**"
    if cell.skipped { return "| \(rung) | skipped | | | | | | | | \(cell.verification.detail) |\n" }
    guard let stats = cell.statistics, !cell.failed else {
      return "| \(rung) | FAIL | | | | | | | | \(cell.verification.detail) |\n"
    }
    return "| \(rung) | \(formatSeconds(stats.median)) | \(previous.map { formatRatio($0 / stats.median) } ?? "—") "
      + "| \(first.map { formatRatio($0 / stats.median) } ?? "—") "
      + "| | | \(formatPercent(stats.cv)) | | | \(cell.verification.status.rawValue) (\(cell.ranOn)) |\n"
  }

  func concurrencyMarkdown(_ kernel: String) -> String {
    let rows = concurrencyRows(kernel)
    guard let workers = concurrencyCells(kernel).first?.id.workers, !rows.isEmpty else { return "" }
    var out = "\nThreads or processes? 1 → \(workers) workers (1 worker: the serial cell)\n\n"
    out += "| how | 1 worker | \(workers) workers | speed-up | start-up (apart) |\n|---|---:|---:|---:|---:|\n"
    for row in rows {
      if let why = row.missing {
        out += "| \(row.how) | | | | \(why) |\n"
        continue
      }
      out += "| \(row.how) | \(row.one.map(formatSeconds) ?? "—") | \(row.many.map(formatSeconds) ?? "—") "
        + "| \(row.speedup.map(formatRatio) ?? "—") | \(row.startup.map(formatSeconds) ?? "") |\n"
    }
    return out
  }

  /// A CSV row in the Swift cells' columns: build is the implementation,
  /// flavour `python` (serial), `python-threads`, `python-processes` or `python-parallel`, threads the workers.
  func interpretedCSVFields(_ cell: InterpretedCell) -> [String] {
    let s = cell.statistics
    let flavour = cell.id.mode == .serial ? "python" : "python-\(cell.id.mode.rawValue)"
    let status = cell.skipped ? "skipped" : cell.failed ? "fail" : "ok"
    let detail = [cell.interpreter, cell.verification.detail].compactMap { $0 }.joined(separator: ": ")
    return [
      cell.id.kernel, String(cell.size), cell.id.implementation.rawValue, flavour, String(cell.id.workers), status,
      s.map { String($0.median) } ?? "", s.map { String($0.min) } ?? "", s.map { String($0.mad) } ?? "",
      s.map { String($0.cv) } ?? "", String(cell.samples.count), cell.runsPerSample.first.map(String.init) ?? "",
      workerSpeedup(cell).map { String($0) } ?? "", String(cell.setupSeconds),
      cell.result?.text ?? "", cell.result?.checksum.hex16 ?? "", detail,
    ]
  }
}

// MARK: - The ladder with Python in it

/// A rung of any kind, for comparisons that cross from Python to Swift.
package enum Rung: Hashable, Sendable, CustomStringConvertible {
  case swift(Build, Flavour, threads: Int)
  case python(Implementation, PythonMode, workers: Int)

  package var description: String {
    switch self {
    case .swift(let build, let flavour, let threads): "\(build.rawValue)·\(flavour.rawValue)·\(threads)"
    case .python(let implementation, let mode, let workers):
      InterpretedID(kernel: "", implementation: implementation, mode: mode, workers: workers).rung
    }
  }
}

/// A comparison between two rungs, summarised over kernels like a ladder step.
package struct RungComparison: Sendable {
  package var name: String
  package var what: String
  package var from: Rung
  package var to: Rung
  /// Per kernel, in report order; kernels missing either cell are left out.
  package var gains: [(kernel: String, gain: Double)]

  package var geometricMean: Double { MeasurementKit.geometricMean(gains.map(\.gain)) }
}

extension RunResults {
  /// A kernel's interpreted rungs, in ladder order: CPython → PyPy → Cython →
  /// mypyc → NumPy → Numba → Numba parallel → Mojo → Mojo SIMD (each
  /// implementation's one thread first).
  package func interpretedLadder(for kernel: String) -> [InterpretedCell] {
    (interpreted ?? []).filter { $0.id.kernel == kernel && $0.id.isLadderRung && $0.id.implementation != .blas }
      .sorted { ($0.id.implementation, $0.id.mode) < ($1.id.implementation, $1.id.mode) }
  }

  // MARK: - The tuned library, beside the ladder

  /// A kernel's tuned-library cells (matmul's BLAS), one thread first.
  package func libraryCells(for kernel: String) -> [InterpretedCell] {
    (interpreted ?? []).filter { $0.id.kernel == kernel && $0.id.implementation == .blas }
      .sorted { $0.id.workers < $1.id.workers }
  }

  /// The fastest verified Swift cell of `kernel` on `threads` threads: what
  /// the library is compared with.
  package func bestSwiftMedian(_ kernel: String, threads: Int) -> (CellID, Double)? {
    cells.filter { $0.id.kernel == kernel && $0.id.threads == threads }
      .compactMap { cell in cell.median.map { (cell.id, $0) } }
      .min { $0.1 < $1.1 }
  }

  /// The library's rows for the text table, after the ladder: "×prev" is its
  /// gain over the best Swift cell on the same threads.
  func libraryRows(_ kernel: String, first: Double?) -> String {
    let library = libraryCells(for: kernel)
    guard !library.isEmpty else { return "" }
    var out = "  · beside the ladder: the tuned library (×prev: over the best Swift cell on as many threads)\n"
    for var cell in library {
      if let rate = libraryRate(cell) {
        let share = rate.percentOfLimit.map { ", \(formatLimitShare($0)) of \(rate.limit ?? "the peak")" } ?? ""
        cell.notes.insert(rate.formatted + share, at: 0)
      }
      out += interpretedRow(cell, previous: bestSwiftMedian(kernel, threads: cell.id.workers)?.1, first: first) + "\n"
    }
    return out
  }

  /// Median seconds of a verified cell of any kind.
  package func median(_ rung: Rung, kernel: String) -> Double? {
    switch rung {
    case .swift(let build, let flavour, let threads):
      median(CellID(kernel: kernel, flavour: flavour, build: build, threads: threads))
    case .python(let implementation, let mode, let workers):
      interpreted?.first {
        $0.id == InterpretedID(kernel: kernel, implementation: implementation, mode: mode, workers: workers)
      }?.median
    }
  }

  /// What Python users compare: CPython against PyPy, Cython, mypyc, NumPy,
  /// Numba (one thread and all cores), the Mojo ports (scalar, SIMD, SIMD on
  /// all cores), Swift debug and release C on all cores.
  /// Empty when the run has no CPython cell.
  package var pythonComparisons: [RungComparison] {
    guard interpreted?.contains(where: { $0.id.implementation == .cpython && $0.median != nil }) == true
    else { return [] }
    let cpython = Rung.python(.cpython, .serial, workers: 1)
    let candidates: [(String, String, Rung)] = [
      ("PyPy", "CPython → PyPy, same source", .python(.pypy, .serial, workers: 1)),
      ("Cython", "CPython → typed Cython module", .python(.cython, .serial, workers: 1)),
      ("mypyc", "CPython → same source compiled by mypyc", .python(.mypyc, .serial, workers: 1)),
      ("NumPy", "CPython → NumPy arrays", .python(.numpy, .serial, workers: 1)),
      ("Numba", "CPython → @njit, one thread", .python(.numba, .serial, workers: 1)),
      ("Numba parallel", "CPython → numba·parallel·\(numbaWorkers)", .python(.numba, .parallel, workers: numbaWorkers)),
      ("Mojo", "CPython → Mojo port, scalar, one thread", .python(.mojo, .serial, workers: 1)),
      ("Mojo SIMD", "CPython → Mojo port, SIMD, one thread", .python(.mojoSIMD, .serial, workers: 1)),
      ("Mojo parallel", "CPython → mojo-simd·parallel·\(numbaWorkers)", .python(.mojoSIMD, .parallel, workers: numbaWorkers)),
      ("Swift debug", "CPython → debug·idiomatic·1", .swift(.debug, .idiomatic, threads: 1)),
      ("Swift release", "CPython → release·idiomatic·1", .swift(.release, .idiomatic, threads: 1)),
      ("all cores", "CPython → release·c·\(topThreads)", .swift(.release, .c, threads: topThreads)),
    ]
    return candidates.map { name, what, to in
      let gains = reportKernels.compactMap { kernel -> (String, Double)? in
        guard let a = median(cpython, kernel: kernel), let b = median(to, kernel: kernel), b > 0 else { return nil }
        return (kernel, a / b)
      }
      return RungComparison(name: name, what: what, from: cpython, to: to, gains: gains)
    }.filter { !$0.gains.isEmpty }
  }

  /// The workers of the run's parallel cells, Numba's and Mojo's (all its cores).
  private var numbaWorkers: Int {
    interpreted?.first { $0.id.mode == .parallel }?.id.workers ?? topThreads
  }

  /// Kernel names of the Swift cells, then any kernel only the interpreted cells have.
  var reportKernels: [String] {
    var names = kernels
    for cell in interpreted ?? [] where !names.contains(cell.id.kernel) {
      names.append(cell.id.kernel)
    }
    return names
  }
}
