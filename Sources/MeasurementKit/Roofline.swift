// How close each cell comes to the machine: its declared work over its
// median time, read against the limits measured in the same run.

import Foundation
import KernelKit
import Kernels
import MachineLimits

/// A cell's rate and, where the work is flops or bytes, its share of the
/// machine's limit for the cell's build and thread count.
package struct CellRate: Codable, Equatable, Sendable {
  /// The rate in `unit`: GFLOP/s, GB/s (decimal) or millions of elements a second.
  package var value: Double
  /// `GFLOP/s`, `GB/s` or `M/s`.
  package var unit: String
  /// `value` as a percentage of `limit`; nil when the work is a count of
  /// elements (no hardware limit applies) or no limits were measured.
  package var percentOfLimit: Double?
  /// Which limit, in words: "peak multiply-add, baseline ISA, 1 core".
  package var limit: String?

  /// The rate `work` over `seconds` reaches on `threads` threads, read against `limits`.
  package init(work: Work, seconds: Double, threads: Int, limits: MachineLimits?) {
    precondition(seconds > 0, "a rate needs a positive time")
    let perSecond = work.amount / seconds
    let cores = threads == 1 ? "1 core" : "\(threads) cores"
    switch work.unit {
    case .flops:
      value = perSecond / 1e9
      unit = "GFLOP/s"
      if let limits {
        percentOfLimit = limits.percentOfPeakCompute(gflops: value, threads: threads)
        limit = "peak multiply-add, \(limits.isaDescription), \(cores)"
      }
    case .bytes:
      value = perSecond / 1e9
      unit = "GB/s"
      if let limits {
        percentOfLimit = limits.percentOfBandwidth(gbps: value, threads: threads)
        limit = "STREAM triad bandwidth, \(threads == 1 ? "1 thread" : "\(threads) threads")"
      }
    case .elements:
      value = perSecond / 1e6
      unit = "M/s"
    }
  }

  /// `41.2 GFLOP/s`, `25.0 GB/s`, `3.1 M/s`.
  package var formatted: String {
    let digits = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f"
    return String(format: digits, value) + " " + unit
  }
}

extension MachineLimits {
  /// `baseline ISA (16-byte vectors)` or `native ISA (64-byte vectors, FMA)`.
  package var isaDescription: String {
    "\(vectorBytes)-byte vectors" + (fma ? ", FMA" : "")
  }
}

extension RunResults {
  /// The limits `build`'s cells are read against: the compute peak its own
  /// binary measured (for the debug build, whose -O0 probe would measure the
  /// compiler, the release build's: the same baseline instruction set), and
  /// the best bandwidth any build measured.
  package func limits(for build: Build) -> MachineLimits? {
    func measured(_ b: Build) -> MachineLimits? { provenance.builds.first { $0.build == b }?.limits }
    guard var limits = measured(build) ?? (build == .debug ? measured(.release) : nil) else { return nil }
    // Memory bandwidth is the machine's, whatever the instruction set: each
    // build's probe measured it, and interference only lowers a figure, so
    // the best of them is the limit.
    let all = provenance.builds.compactMap(\.limits)
    limits.bandwidthGBps1Thread = all.map(\.bandwidthGBps1Thread).max() ?? limits.bandwidthGBps1Thread
    limits.bandwidthGBpsAllThreads = all.map(\.bandwidthGBpsAllThreads).max() ?? limits.bandwidthGBpsAllThreads
    return limits
  }

  /// Fills in each measured cell's work (from another cell of the same kernel
  /// and size when its own worker left it out) and its rate against the limits.
  package mutating func attachRates() {
    var work: [String: Work] = [:]
    for cell in cells { if let w = cell.work { work["\(cell.id.kernel)/\(cell.size)"] = w } }
    for i in cells.indices {
      let key = "\(cells[i].id.kernel)/\(cells[i].size)"
      if cells[i].work == nil {
        // Normally another cell's worker computed it; the last resort is here.
        cells[i].work = work[key] ?? Kernels.kernel(named: cells[i].id.kernel)?.work(size: cells[i].size)
        work[key] = cells[i].work
      }
      guard let w = cells[i].work, let median = cells[i].median, median > 0 else { continue }
      let slowdown = cells[i].slowdown ?? 1
      cells[i].rate = CellRate(
        work: Work(w.amount * slowdown, w.unit, w.what), seconds: median, threads: cells[i].id.threads,
        limits: limits(for: cells[i].id.build))
    }
  }
}
