// How many samples a cell gets: until its median is known well enough for the
// comparisons it takes part in, within a cap. See bench/SCHEMA.md, "Sampling".

import Foundation
import KernelKit

/// How precisely a median is known: the half-width of its distribution-free
/// confidence interval, relative to the median. The interval runs between
/// order statistics (the k-th smallest and k-th largest sample, with k the
/// largest rank that keeps the confidence at 95% or more); below 6 samples no
/// rank reaches 95%, and it is the range min…max, of confidence 1 − 2^(1−n).
/// It assumes nothing about the noise's shape, and for 9 samples or more one
/// preempted sample cannot widen it. nil for fewer than two samples.
package func medianPrecision(_ samples: [Double]) -> Double? {
  guard samples.count >= 2 else { return nil }
  let sorted = samples.sorted()
  let median = SampleStatistics.median(sorted)
  guard median > 0 else { return nil }
  let k = medianIntervalRank(sorted.count)
  return (sorted[sorted.count - k] - sorted[k - 1]) / (2 * median)
}

/// The rank k of `medianPrecision`'s interval for n samples: the largest k
/// with P(Binomial(n, ½) < k) ≤ 2.5%, and 1 when none is.
package func medianIntervalRank(_ n: Int) -> Int {
  var k = 1
  var below = pow(0.5, Double(n))  // P(X < k + 1) = P(X ≤ k), starting at k = 0
  var term = below
  while k < (n + 1) / 2 {
    term *= Double(n - k + 1) / Double(k)  // C(n, k) / 2ⁿ
    guard below + term <= 0.025 else { break }
    below += term
    k += 1
  }
  return k
}

/// Why a cell stopped taking samples.
package enum SamplingStop: String, Codable, Sendable {
  /// Its median reached the precision its role asks for, and no comparison it
  /// takes part in straddles a line the report draws.
  case precise
  /// It reached its cap (samples or seconds) first.
  case cap
  /// `--samples N`: exactly N.
  case forced
  /// A cell off the ladder whose single run is long: one run is all it gets.
  case single
}

/// What the sampling of one cell reached, recorded in the results.
package struct SamplingRecord: Codable, Equatable, Sendable {
  /// The relative precision its role asked for; nil when the count was forced.
  package var target: Double?
  /// `medianPrecision` of its samples at the end; nil below two samples.
  package var precision: Double?
  package var stop: SamplingStop
  /// The comparison that kept it sampling when it stopped at its cap
  /// (`release·c·1 near 1.05×`), if one did.
  package var straddling: String?
  /// Whether its first sample is its verifying run (a run long enough to be its own warm-up).
  package var firstRunCounted: Bool?

  package init(
    target: Double?, precision: Double?, stop: SamplingStop, straddling: String? = nil, firstRunCounted: Bool? = nil
  ) {
    self.target = target
    self.precision = precision
    self.stop = stop
    self.straddling = straddling
    self.firstRunCounted = firstRunCounted
  }
}

/// A run of at least this long is its own warm-up: its verifying run counts
/// as its first sample, and it is not warmed up again.
package let longRunSeconds = 0.1

/// How much precision a cell needs: more on the ladder, where its ratio to
/// the next rung is reported and judged, less in the rest of the matrix, and
/// least in debug, whose rung is 8–160×.
package struct SamplingRole: Equatable, Sendable {
  package var name: String
  /// Fewest samples, for a short run and for a long one (≥ `longRunSeconds`).
  package var minSamples: Int
  package var minSamplesLong: Int
  /// The relative precision (`medianPrecision`) at which it may stop.
  package var target: Double
  /// It stops at this many samples, or once its samples add up to this many
  /// seconds (after its minimum), whatever its precision.
  package var maxSamples: Int
  package var maxSeconds: Double

  package static let ladder = SamplingRole(
    name: "ladder", minSamples: 5, minSamplesLong: 3, target: 0.03, maxSamples: 10, maxSeconds: 0.6)
  package static let debugLadder = SamplingRole(
    name: "debug ladder", minSamples: 2, minSamplesLong: 1, target: 0.10, maxSamples: 3, maxSeconds: 4)
  package static let matrix = SamplingRole(
    name: "matrix", minSamples: 3, minSamplesLong: 2, target: 0.06, maxSamples: 4, maxSeconds: 0.3)
  package static let debugMatrix = SamplingRole(
    name: "debug matrix", minSamples: 2, minSamplesLong: 1, target: 0.10, maxSamples: 3, maxSeconds: 0.3)
}

/// Two cells of one build whose ratio (time of a ÷ time of b) the report
/// holds against fixed lines: a step "buys nothing" below 1.05×, Swift and C
/// are "more than 1.10× apart". While the ratio's interval holds one of its
/// lines, both keep sampling, up to their caps.
package struct ComparedPair: Equatable, Sendable {
  package var a: CellID
  package var b: CellID
  package var lines: [Double]

  /// The "buys nothing" line of a ladder step.
  package static let step = [1.05]
  /// Swift beside C at the same level: 1.10× either way.
  package static let swiftVersusC = [1 / 1.10, 1.10]

  package init(a: CellID, b: CellID, lines: [Double] = step) {
    self.a = a
    self.b = b
    self.lines = lines
  }

  /// The line the ratio a ÷ b may be on either side of, given each median's
  /// relative precision; nil when every line is clear of it.
  package func straddled(ratio: Double, precisionA: Double?, precisionB: Double?) -> Double? {
    guard let pa = precisionA, let pb = precisionB else { return lines.first }  // not known yet
    let spread = pa + pb
    return lines.first { abs(log(ratio / $0)) < spread }
  }
}

/// The sampling plan of one build's cells: each cell's role and the pairs compared.
package struct SamplingPlan: Equatable, Sendable {
  /// `--samples N`: every cell takes exactly N samples.
  package var forcedSamples: Int?
  package var roles: [CellID: SamplingRole] = [:]
  package var pairs: [ComparedPair] = []

  package init(forcedSamples: Int?, roles: [CellID: SamplingRole] = [:], pairs: [ComparedPair] = []) {
    self.forcedSamples = forcedSamples
    self.roles = roles
    self.pairs = pairs
  }

  package func role(_ id: CellID) -> SamplingRole {
    roles[id] ?? (id.build == .debug ? .debugMatrix : .matrix)
  }

  /// The plan for `cells` (one build's) in a run of `builds`, whose ladder
  /// climbs to `topThreads`: the rungs of `Ladder.standard` get the `ladder`
  /// role, and consecutive rungs of one build, and Swift's vectors with C's,
  /// are compared. A worker sees only its own build's cells, so it counts a
  /// cell of another build of the run as measured where its own build has
  /// that flavour and thread count.
  package static func forLadder(
    cells: [CellID], builds: [Build], topThreads: Int, forcedSamples: Int?
  ) -> SamplingPlan {
    var plan = SamplingPlan(forcedSamples: forcedSamples)
    let present = Set(cells)
    for kernel in Set(cells.map(\.kernel)) {
      let rungs = Ladder.standard.rungs(of: kernel, topThreads: topThreads) { id in
        present.contains(id)
          || builds.contains(id.build)
            && cells.contains { $0.kernel == id.kernel && $0.flavour == id.flavour && $0.threads == id.threads }
      }
      let ladder = rungs.filter(present.contains)
      for rung in ladder { plan.roles[rung] = rung.build == .debug ? .debugLadder : .ladder }
      for (a, b) in zip(ladder, ladder.dropFirst()) where a.build == b.build {
        // Unsafe Swift → C is a step and Swift beside C.
        let lines = a.flavour == .unsafe && b.flavour == .c ? ComparedPair.swiftVersusC + ComparedPair.step : ComparedPair.step
        plan.pairs.append(ComparedPair(a: a, b: b, lines: lines.sorted()))
      }
      // Swift's vectors beside C's, in the build the ladder tops out in (the report's finding).
      let topBuild = rungs.last?.build ?? .release
      let swift = CellID(kernel: kernel, flavour: .vector, build: topBuild, threads: 1)
      let c = CellID(kernel: kernel, flavour: .cVector, build: topBuild, threads: 1)
      if present.contains(swift), present.contains(c) {
        plan.roles[swift] = .ladder
        plan.pairs.append(ComparedPair(a: swift, b: c, lines: ComparedPair.swiftVersusC))
      }
    }
    // A fixed order, whatever the set's: a cell is only ever paired with its
    // own kernel's cells and `straddle` reads only its own pairs, so kernels
    // by name are as good as in catalogue order; within a kernel, by build,
    // flavour, threads of the first cell, then of the second.
    func before(_ x: CellID, _ y: CellID) -> Bool {
      (x.kernel, x.build, x.flavour, x.threads) < (y.kernel, y.build, y.flavour, y.threads)
    }
    plan.pairs.sort { $0.a != $1.a ? before($0.a, $1.a) : before($0.b, $1.b) }
    return plan
  }
}

// MARK: - The stopping rule

extension SamplingPlan {
  /// Whether cell `id`, with `samples` so far (adding up to `sampledSeconds`
  /// of runs), takes another: below its role's minimum, yes; at its cap, no;
  /// otherwise while its median is less precise than its role asks, or a
  /// pair it is in straddles one of the report's lines. `others` gives the
  /// samples of the cells it is compared with.
  package func needsSample(
    _ id: CellID, samples: [Double], sampledSeconds: Double, longRun: Bool, others: (CellID) -> [Double]
  ) -> Bool {
    if let forcedSamples { return samples.count < forcedSamples }
    let role = role(id)
    let fewest = longRun ? role.minSamplesLong : role.minSamples
    if samples.count < fewest { return true }
    if fewest == 1 && samples.count == 1 { return false }  // one long run off the ladder: `single`
    if samples.count >= role.maxSamples || sampledSeconds >= role.maxSeconds { return false }
    guard let precision = medianPrecision(samples), precision <= role.target else { return true }
    return straddle(id, samples: samples, others: others) != nil
  }

  /// What a cell's sampling reached, once it stopped.
  package func outcome(
    _ id: CellID, samples: [Double], sampledSeconds: Double, longRun: Bool, firstRunCounted: Bool,
    others: (CellID) -> [Double]
  ) -> SamplingRecord {
    let precision = medianPrecision(samples)
    let counted = firstRunCounted ? true : nil
    guard forcedSamples == nil else {
      return SamplingRecord(target: nil, precision: precision, stop: .forced, firstRunCounted: counted)
    }
    let role = role(id)
    if samples.count == 1 && longRun && role.minSamplesLong == 1 {
      return SamplingRecord(target: role.target, precision: nil, stop: .single, firstRunCounted: counted)
    }
    let straddling = straddle(id, samples: samples, others: others)
    let precise = precision.map { $0 <= role.target } ?? false
    return SamplingRecord(
      target: role.target, precision: precision, stop: precise && straddling == nil ? .precise : .cap,
      straddling: straddling, firstRunCounted: counted)
  }

  /// The first pair of `id` whose ratio's interval holds a line, as
  /// `release·c·1 near 1.05×`; nil when none does.
  package func straddle(_ id: CellID, samples: [Double], others: (CellID) -> [Double]) -> String? {
    for pair in pairs where pair.a == id || pair.b == id {
      let other = pair.a == id ? pair.b : pair.a
      let theirs = others(other)
      guard !samples.isEmpty, !theirs.isEmpty else { continue }
      let (a, b) = pair.a == id ? (samples, theirs) : (theirs, samples)
      let ratio = SampleStatistics.median(a) / SampleStatistics.median(b)
      if let line = pair.straddled(
        ratio: ratio, precisionA: medianPrecision(a), precisionB: medianPrecision(b))
      {
        return "\(other.rung) near \(formatRatio(line))"
      }
    }
    return nil
  }
}
