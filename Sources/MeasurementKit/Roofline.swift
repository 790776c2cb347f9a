// How close each cell comes to the machine: its declared work over its
// median time, read against the limits measured in the same run.

import Foundation
import KernelKit
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
  /// The ceiling's short name (`multiply-add`, `divide`, `divide + square
  /// root`, `bandwidth`, or `none: why`); nil when the kernel declared none
  /// the harness knows or no limits were measured. Added with issue 24.
  package var ceiling: String? = nil
  /// The ceiling's rate in `unit` for this cell's build and threads: `value`
  /// over it is `percentOfLimit`.
  package var limitValue: Double? = nil

  /// The rate `work` over `seconds` reaches on `threads` threads, read against
  /// `limits` the way `ceiling` says (nil: by the work's unit, flops against
  /// the multiply-add peak, bytes against memory bandwidth). `scale`
  /// multiplies a divide ceiling's item count as `work` was (a slowed cell).
  package init(
    work: Work, seconds: Double, threads: Int, limits: MachineLimits?, ceiling: Ceiling? = nil, size: Int? = nil,
    scale: Double = 1
  ) {
    precondition(seconds > 0, "a rate needs a positive time")
    let perSecond = work.amount / seconds
    let cores = threads == 1 ? "1 core" : "\(threads) cores"
    switch work.unit {
    case .flops:
      value = perSecond / 1e9
      unit = "GFLOP/s"
    case .bytes:
      value = perSecond / 1e9
      unit = "GB/s"
    case .elements:
      value = perSecond / 1e6
      unit = "M/s"
    }
    guard let limits else { return }
    switch (ceiling, work.unit) {
    case (.none(let why)?, _):
      self.ceiling = "none: \(why)"
    case (.divide(let item, let items)?, _), (.divideAndSquareRoot(let item, let items)?, _):
      guard let size else { return }
      let both: Bool = if case .divideAndSquareRoot = ceiling! { true } else { false }
      guard let perCore = both ? limits.divideSquareRootGPerCore : limits.divideGPerCore else { return }
      value = items(size) * scale / seconds / 1e6
      unit = "M \(item.hasSuffix("y") ? item.dropLast() + "ies" : item + "s")/s"
      limitValue = perCore * 1e3 * Double(threads)
      percentOfLimit = 100 * value / limitValue!
      let article = "aeiou".contains(item.first ?? "x") ? "an" : "a"
      let what = both ? "one divide and one square root \(article) \(item)" : "one divide \(article) \(item)"
      limit = "\(what), \(limits.isaDescription), \(cores)"
      self.ceiling = ceiling!.name
    case (.bandwidth(let footprint)?, .bytes):
      let level = size.map { limits.level(holding: footprint($0), threads: threads) } ?? limits.memoryLevel
      limitValue = limits.bandwidth(of: level, threads: threads)
      percentOfLimit = 100 * value / limitValue!
      limit = "triad bandwidth, \(level.name == "memory" ? "memory" : level.name + " cache"), \(threads == 1 ? "1 thread" : "\(threads) threads")"
      self.ceiling = "bandwidth (\(level.name))"
    case (_, .flops):
      percentOfLimit = limits.percentOfPeakCompute(gflops: value, threads: threads)
      limitValue = limits.peakGFLOPSPerCore * Double(threads)
      limit = "peak multiply-add, \(limits.isaDescription), \(cores)"
      if ceiling != nil { self.ceiling = "multiply-add" }
    case (_, .bytes):
      limitValue = limits.bandwidth(of: limits.memoryLevel, threads: threads)
      percentOfLimit = limits.percentOfBandwidth(gbps: value, threads: threads)
      limit = "STREAM triad bandwidth, \(threads == 1 ? "1 thread" : "\(threads) threads")"
    case (_, .elements):
      break
    }
  }

  /// `41.2 GFLOP/s`, `25.0 GB/s`, `3.1 M/s`.
  package var formatted: String {
    let digits = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f"
    return String(format: digits, value) + " " + unit
  }
}

extension MachineLimits {
  /// `16-byte vectors` or `64-byte vectors, FMA`: what the probe was compiled for.
  package var isaDescription: String {
    "\(vectorBytes)-byte vectors" + (fma ? ", FMA" : "")
  }

  /// The register width each language's code runs at, as read back from the
  /// compiled probes: `C zmm (512-bit), Swift zmm (512-bit)`; nil in older files.
  package var registerWidths: String? {
    guard let c = cRegisterBits, let swift = swiftRegisterBits else { return nil }
    func name(_ bits: Int) -> String {
      switch bits {
      case 512: "zmm (512-bit)"
      case 256: "ymm (256-bit)"
      case 128: "xmm (128-bit)"
      default: fma ? "unknown" : "no fused multiply-add (128-bit SSE2 at most)"
      }
    }
    return "code runs at: C \(name(c)), Swift \(name(swift))"
  }

  /// The limits in a few lines, for provenance.
  package var describedLines: [String] {
    func f(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.1f", x) }
    var lines: [String] = []
    var peak = "limits: peak \(f(peakGFLOPSPerCore)) GFLOP/s a core (\(isaDescription))"
    if let c = cPeakGFLOPSPerCore, let swift = swiftPeakGFLOPSPerCore {
      peak += "; C probe \(f(c)), Swift probe \(f(swift))"
    }
    lines.append(peak)
    if let widths = registerWidths { lines.append(widths) }
    if let d = divideGPerCore, let r = squareRootGPerCore, let p = divideSquareRootGPerCore {
      lines.append(
        "divide \(String(format: "%.2f", d)) G/s, square root \(String(format: "%.2f", r)) G/s, "
          + "the two together \(String(format: "%.2f", p)) G/s a core")
    }
    if let levels {
      lines.append(
        "triad GB/s (1 thread / \(threads)): "
          + levels.map { "\($0.name) \(f($0.oneThread)) / \(f($0.allThreads))" }.joined(separator: ", "))
    } else {
      lines.append("triad \(f(bandwidthGBps1Thread)) GB/s on 1 thread, \(f(bandwidthGBpsAllThreads)) GB/s on \(threads)")
    }
    if let memoryNote { lines.append(memoryNote) }
    lines.append("measured in \(String(format: "%.2f", seconds)) s")
    return lines
  }
}

extension MachineLimits {
  /// The innermost level whose arrays were at least as large as `bytes` split
  /// over `threads` (each level's probe filled half of it): the level that
  /// holds a kernel touching `bytes`; memory when none does.
  package func level(holding bytes: Double, threads: Int) -> BandwidthLevel {
    let caches = (levels ?? []).filter { $0.name != "memory" }
    return caches.first { bytes / Double(threads) <= 2 * Double($0.bytesPerThread) / (($0.name == "LLC") ? Double(threads) : 1) } ?? memoryLevel
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
  /// and size when its own worker left it out, else from `catalogue`'s kernel)
  /// and its rate against the limits and that kernel's ceiling.
  package mutating func attachRates(catalogue: KernelCatalogue) {
    var work: [String: Work] = [:]
    for cell in cells { if let w = cell.work { work["\(cell.id.kernel)/\(cell.size)"] = w } }
    for i in cells.indices {
      let key = "\(cells[i].id.kernel)/\(cells[i].size)"
      if cells[i].work == nil {
        // Normally another cell's worker computed it; the last resort is here.
        cells[i].work = work[key] ?? catalogue.kernel(named: cells[i].id.kernel)?.work(size: cells[i].size)
        work[key] = cells[i].work
      }
      guard let w = cells[i].work, let median = cells[i].median, median > 0 else { continue }
      let slowdown = cells[i].slowdown ?? 1
      cells[i].rate = CellRate(
        work: Work(w.amount * slowdown, w.unit, w.what), seconds: median, threads: cells[i].id.threads,
        limits: limits(for: cells[i].id.build), ceiling: catalogue.kernel(named: cells[i].id.kernel)?.ceiling,
        size: cells[i].size, scale: slowdown)
    }
  }
}

// MARK: - The self-check

extension RunResults {
  /// A library cell's rate, read against the native build's multiply-add
  /// peak: the library carries kernels for every CPU and picks this one's at
  /// run time, so only the native ISA's peak bounds it (a run without the
  /// native build gives the rate and no share).
  package func libraryRate(_ cell: InterpretedCell, catalogue: KernelCatalogue) -> CellRate? {
    guard let median = cell.median, let kernel = catalogue.kernel(named: cell.id.kernel) else { return nil }
    let limits = provenance.builds.contains { $0.build == .native && $0.limits != nil } ? limits(for: .native) : nil
    return CellRate(
      work: kernel.work(size: cell.size), seconds: median, threads: cell.id.workers, limits: limits,
      ceiling: kernel.ceiling, size: cell.size)
  }

  /// How far above its ceiling a rate may read before the ceiling, not the
  /// cell, is taken to be wrong: 5%, or twice the cell's own spread (CV) when
  /// that is larger, since a median can land that far from the truth.
  package static func ceilingMargin(cv: Double?) -> Double { max(0.05, 2 * (cv ?? 0)) }

  /// One line per cell or library call that beats its ceiling by more than
  /// the noise: no code can run faster than the machine, so each such line
  /// says the ceiling was measured wrong (a probe that did not reach the
  /// machine: too few chains, a narrower vector than the code's, a cache
  /// level mistaken for memory). Empty when every rate is below its ceiling.
  /// A library call's work and ceiling are those of `catalogue`'s kernel.
  package func ceilingViolations(catalogue: KernelCatalogue) -> [String] {
    var lines: [String] = []
    func check(_ what: String, _ rate: CellRate?, cv: Double?) {
      guard let rate, let percent = rate.percentOfLimit else { return }
      let margin = Self.ceilingMargin(cv: cv)
      if percent > 100 * (1 + margin) {
        lines.append(
          "ceiling wrong: \(what) reaches \(rate.formatted), \(String(format: "%.0f", percent))% of "
            + "\(rate.limit ?? "its limit") (more than the noise, \(String(format: "%.0f", 100 * margin))%, allows): "
            + "the probe did not reach what the machine does")
      }
    }
    for cell in cells { check(cell.id.description, cell.rate, cv: cell.statistics?.cv) }
    for cell in interpreted ?? [] where cell.id.implementation == .blas {
      check(cell.id.description, libraryRate(cell, catalogue: catalogue), cv: cell.statistics?.cv)
    }
    return lines
  }
}
