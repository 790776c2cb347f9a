// How the interpreted rungs read in every format: their ladder rows, the
// tuned library's rows beside the ladder and the threads-or-processes table
// beside the Swift threads.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// The interpreted cells of one run (Python, Mojo, the tuned library) as the
/// text table, the Markdown and the CSV show them, in the Swift cells' columns.
package struct InterpretedTable: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  // MARK: - Shared

  /// The kernel's size, from its Swift cells or else its interpreted ones.
  func size(of kernel: String) -> Int {
    results.cells.first { $0.id.kernel == kernel }?.size
      ?? results.interpreted?.first { $0.id.kernel == kernel }?.size ?? 0
  }

  /// The median the "× first" column divides by: CPython's when the run has
  /// it (so the column reads "× over CPython"), else the first Swift rung's.
  func firstRungMedian(_ kernel: String) -> Double? {
    ladder(for: kernel).lazy.compactMap(\.median).first
      ?? LadderView(results).rungs(for: kernel).lazy.compactMap { results.median($0) }.first
  }

  /// The cells of the threads-or-processes comparison for `kernel`.
  func concurrencyCells(_ kernel: String) -> [InterpretedCell] {
    (results.interpreted ?? []).filter { $0.id.kernel == kernel && !$0.id.isLadderRung }
      .sorted { catalogue.lists($0.id, before: $1.id) }
  }

  /// A parallel Python cell's speed-up over the same interpreter's serial cell (one worker).
  func workerSpeedup(_ cell: InterpretedCell) -> Double? {
    guard let parallel = cell.median,
      let serial = Rung.python(cell.id.implementation, .serial, workers: 1).median(of: cell.id.kernel, in: results)
    else { return nil }
    return serial / parallel
  }

  // MARK: - Table

  /// An interpreted rung's row, in the columns of the Swift rows.
  func row(_ cell: InterpretedCell, previous: Double?, first: Double?) -> String {
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
        how: how, one: Rung.python(cell.id.implementation, .serial, workers: 1).median(of: kernel, in: results),
        many: cell.median, startup: cell.startupSeconds, notes: cell.notes)
    }
    for flavour in Flavour.allCases {
      let one = Rung.swift(.release, flavour, threads: 1).median(of: kernel, in: results)
      let many = Rung.swift(.release, flavour, threads: workers).median(of: kernel, in: results)
      guard one != nil && many != nil else { continue }
      rows.append(ConcurrencyRow(how: "Swift release·\(flavour.rawValue) threads", one: one, many: many))
    }
    return rows
  }

  // MARK: - Markdown and CSV

  func markdownRow(_ cell: InterpretedCell, previous: Double?, first: Double?) -> String {
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
  func csvFields(_ cell: InterpretedCell) -> [String] {
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

  // MARK: - The ladder with Python in it

  /// A kernel's interpreted rungs, in ladder order: CPython → PyPy → Cython →
  /// mypyc → NumPy → Numba → Numba parallel → Mojo → Mojo SIMD (each
  /// implementation's one thread first).
  package func ladder(for kernel: String) -> [InterpretedCell] {
    (results.interpreted ?? []).filter { $0.id.kernel == kernel && $0.id.isLadderRung && $0.id.implementation != .blas }
      .sorted { ($0.id.implementation, $0.id.mode) < ($1.id.implementation, $1.id.mode) }
  }

  // MARK: - The tuned library, beside the ladder

  /// A kernel's tuned-library cells (matmul's BLAS), one thread first.
  package func libraryCells(for kernel: String) -> [InterpretedCell] {
    (results.interpreted ?? []).filter { $0.id.kernel == kernel && $0.id.implementation == .blas }
      .sorted { $0.id.workers < $1.id.workers }
  }

  /// The fastest verified Swift cell of `kernel` on `threads` threads: what
  /// the library is compared with.
  package func bestSwiftMedian(_ kernel: String, threads: Int) -> (CellID, Double)? {
    results.cells.filter { $0.id.kernel == kernel && $0.id.threads == threads }
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
      if let rate = results.libraryRate(cell, catalogue: catalogue) {
        let share = rate.percentOfLimit.map { ", \(formatLimitShare($0)) of \(rate.limit ?? "the peak")" } ?? ""
        cell.notes.insert(rate.formatted + share, at: 0)
      }
      out += row(cell, previous: bestSwiftMedian(kernel, threads: cell.id.workers)?.1, first: first) + "\n"
    }
    return out
  }

  /// Kernel names of the Swift cells, then any kernel only the interpreted cells have.
  var reportKernels: [String] {
    var names = results.kernels
    for cell in results.interpreted ?? [] where !names.contains(cell.id.kernel) {
      names.append(cell.id.kernel)
    }
    return names
  }
}
