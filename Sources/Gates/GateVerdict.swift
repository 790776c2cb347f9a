// Verdicts that know their own noise: a ratio of medians, a band from the
// samples' spread, and pass / fail / inconclusive against a threshold.

import Foundation
import KernelKit
import MeasurementKit
import Reports
import Workers

// MARK: - Noise band

/// How wide a measured ratio's band is, from the spread of its samples.
///
/// Each cell's median has a standard error of about 1.2533 σ/√n, and σ is
/// estimated robustly as 1.4826 × MAD (one outlier from a noisy neighbour does
/// not widen it). The two cells' relative errors add in quadrature on a log
/// scale; the band is ±`z` of those. `floor` is the least relative error a
/// cell is credited with: five samples can agree by luck, and the timer and
/// the scheduler are never exact. More samples (re-measuring) narrow the band.
enum NoiseBand {
  /// Half-width in standard errors: about 95% if the noise were normal.
  static let z = 2.0
  /// Least relative standard error of one cell's median.
  static let floor = 0.01

  /// Relative standard error of the median of `samples`.
  static func relativeError(_ samples: [Double]) -> Double {
    guard samples.count > 1 else { return 1 }  // one sample says nothing about noise
    let statistics = SampleStatistics(samples)
    guard statistics.median > 0 else { return 1 }
    let sigma = 1.4826 * statistics.mad
    let standardError = 1.2533 * sigma / Double(samples.count).squareRoot()
    return max(standardError / statistics.median, floor)
  }
}

/// The paired-rounds rule (`MeasuredRatio.paired`): when it applies, and how
/// narrow its interval may be.
enum PairedRounds {
  /// Fewest paired rounds: with 5 the interval is min…max (confidence 94%).
  static let minimum = 5
  /// Least half-width, relative to the median: the interval covers the
  /// rounds' noise, not what every round shares (a cell's code placement,
  /// the CPU's state), which moves paired ratios by about 1% between runs.
  static let floor = 0.01
}

/// A ratio of times with its noise band.
struct MeasuredRatio: Equatable {
  var value: Double
  var low: Double
  var high: Double
  /// From paired rounds (`paired(_:_:)`), not from two cells' medians.
  var isPaired = false
  /// A ratio of instruction counts (`counted(_:)`): written with four decimals.
  var isCounted = false

  /// The ratio median(numerator) ÷ median(denominator) — or, over several
  /// kernels, the geometric mean of such ratios — with its band.
  static func of(_ terms: [(numerator: [Double], denominator: [Double])]) -> MeasuredRatio {
    precondition(!terms.isEmpty, "a ratio of nothing")
    var logSum = 0.0
    var variance = 0.0
    for term in terms {
      logSum += log(SampleStatistics.median(term.numerator) / SampleStatistics.median(term.denominator))
      let a = NoiseBand.relativeError(term.numerator)
      let b = NoiseBand.relativeError(term.denominator)
      variance += a * a + b * b
    }
    let count = Double(terms.count)
    let center = logSum / count
    let halfWidth = NoiseBand.z * variance.squareRoot() / count
    return MeasuredRatio(value: exp(center), low: exp(center - halfWidth), high: exp(center + halfWidth))
  }

  /// The median of the round-by-round ratios numerator[i] ÷ denominator[i]
  /// of two cells sampled in the same rounds, with a distribution-free 95%
  /// interval: the order statistics `medianIntervalRank` picks (a sign test
  /// on the ratios), widened to at least ±`PairedRounds.floor` of the median.
  ///
  /// Pairing cancels what the two cells share: a round that the machine made
  /// slow for both (a neighbour, a frequency change) moves both samples and
  /// leaves their ratio. nil when the counts differ or are below
  /// `PairedRounds.minimum`: then the medians' band (`of`) is used.
  static func paired(_ numerator: [Double], _ denominator: [Double]) -> MeasuredRatio? {
    guard numerator.count == denominator.count, numerator.count >= PairedRounds.minimum else { return nil }
    let ratios = zip(numerator, denominator).map { $0 / $1 }.sorted()
    guard ratios.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
    let median = SampleStatistics.median(ratios)
    let k = medianIntervalRank(ratios.count)
    let low = min(ratios[k - 1], median / (1 + PairedRounds.floor))
    let high = max(ratios[ratios.count - k], median * (1 + PairedRounds.floor))
    return MeasuredRatio(value: median, low: low, high: high, isPaired: true)
  }

  /// The ratio of two cells' instruction counts per run — or, over several
  /// kernels, the geometric mean of such ratios — with a band as wide as the
  /// counts' own spread (half of each cell's max − min over its median, the
  /// kernels' averaged) plus `CountBand.floor`. No √n, no z: counts are not
  /// noise around a mean but the same number give or take a few instructions.
  static func counted(_ terms: [(numerator: [Double], denominator: [Double])]) -> MeasuredRatio {
    precondition(!terms.isEmpty, "a ratio of nothing")
    var logSum = 0.0
    var spread = 0.0
    for term in terms {
      let (a, b) = (SampleStatistics.median(term.numerator), SampleStatistics.median(term.denominator))
      logSum += log(a / b)
      spread += (term.numerator.max()! - term.numerator.min()!) / a / 2
      spread += (term.denominator.max()! - term.denominator.min()!) / b / 2
    }
    let count = Double(terms.count)
    let center = exp(logSum / count)
    let half = spread / count + CountBand.floor
    return MeasuredRatio(value: center, low: center / (1 + half), high: center * (1 + half), isCounted: true)
  }

  /// `1.02× (0.99–1.05)`.
  package var text: String {
    guard isCounted else { return "\(significant(value))× (\(significant(low))–\(significant(high)))" }
    return String(format: "%.4f× (%.4f–%.4f)", value, low, high)
  }

  /// How close to its limit, smaller is better: 1 is the threshold itself.
  func headroom(_ bound: Bound) -> Double {
    switch bound {
    case .atMost(let limit): value / limit
    case .atLeast(let limit): limit / value
    }
  }
}

/// How wide a ratio of instruction counts is taken to be beyond its measured spread.
enum CountBand {
  /// Relative half-width added to every count ratio's band: more than the
  /// differences seen between runs of the same code (allocation addresses,
  /// a hash seed; bench/GATES.md has the measured spread), far less than a 2%
  /// change of work.
  static let floor = 0.001
}

// MARK: - Verdicts

enum Verdict: String, Codable {
  case pass, fail, inconclusive, skipped
}

extension Bound {
  /// Pass when the whole band keeps the promise, fail when the whole band
  /// breaks it, nil when the band straddles the threshold (measure again).
  func judge(_ ratio: MeasuredRatio) -> Verdict? {
    switch self {
    case .atMost(let limit):
      if ratio.high <= limit { return .pass }
      if ratio.low > limit { return .fail }
    case .atLeast(let limit):
      if ratio.low >= limit { return .pass }
      if ratio.high < limit { return .fail }
    }
    return nil
  }
}

extension CellResult {
  /// The samples a gate compares under `clock`, and whether they are CPU time.
  func gateSamples(_ clock: Clock) -> (samples: [Double], isCPU: Bool) {
    let useCPU = clock == .auto && id.threads == 1 && cpuSamples.count == samples.count
    return (useCPU ? cpuSamples : samples, useCPU)
  }
}

// MARK: - Checks: a gate applied to kernels on this machine

/// Where a sample set comes from.
enum Operand: Hashable {
  /// Measured in this run.
  case cell(CellID)
  /// Read from the baseline file.
  case baseline(CellID)

  var id: CellID {
    switch self {
    case .cell(let id), .baseline(let id): id
    }
  }
}

/// One verdict to reach: a gate on one kernel, or on several combined.
struct GateCheck: Equatable {
  var gate: GateSpec
  /// The kernel, or `geomean of N kernels`.
  var label: String
  var terms: [Term]
  /// Set when the gate cannot apply here (one core, no baseline given).
  var skipReason: String?
  /// Judged on instruction counts (a gate with `"measure": "instructions"` or `"both"`), not times.
  var counted = false

  struct Term: Equatable {
    var numerator: Operand
    var denominator: Operand
  }

  /// Cells this check needs measured in this run.
  var cells: [CellID] {
    terms.flatMap { [$0.numerator, $0.denominator] }.compactMap {
      if case .cell(let id) = $0 { id } else { nil }
    }
  }
}

extension GateFile {
  /// The checks this file makes on a machine with `cores` active cores.
  func checks(cores: Int, haveBaseline: Bool) -> [GateCheck] {
    gates.flatMap { gate -> [GateCheck] in
      let term: (String) -> GateCheck.Term
      var skip: String?
      switch gate.kind {
      case .ratio(let a, let b):
        term = { .init(numerator: .cell(a.cell(kernel: $0, cores: cores)), denominator: .cell(b.cell(kernel: $0, cores: cores))) }
        if a.cell(kernel: "", cores: cores) == b.cell(kernel: "", cores: cores) {
          skip = "needs ≥ 2 cores: this machine has \(cores), so \(a) and \(b) are the same cell"
        }
      case .baseline(let rung):
        term = { .init(numerator: .cell(rung.cell(kernel: $0, cores: cores)), denominator: .baseline(rung.cell(kernel: $0, cores: cores))) }
        if !haveBaseline { skip = "no --baseline FILE given" }
      }
      var checks: [GateCheck]
      switch gate.combine {
      case .each:
        checks = gate.kernels.map { GateCheck(gate: gate, label: $0, terms: [term($0)], skipReason: skip) }
      case .geomean:
        let label = gate.kernels.count == 1 ? gate.kernels[0] : "geomean of \(gate.kernels.count) kernels"
        checks = [GateCheck(gate: gate, label: label, terms: gate.kernels.map(term), skipReason: skip)]
      }
      // `"measure": "both"` is two verdicts on the same cells: one on times, one on counts.
      var counted = checks
      for index in counted.indices { counted[index].counted = true }
      switch gate.measure {
      case .time: return checks
      case .instructions: return counted
      case .both: return checks + counted
      }
    }
  }
}

/// A check's verdict, with what it was based on.
struct GateOutcome: Equatable {
  var check: GateCheck
  var verdict: Verdict
  var ratio: MeasuredRatio?
  /// Why it was skipped, or which cell failed.
  var reason: String?
  /// Times its cells were measured (1 + re-measurements).
  var measurements: Int

  var name: String { "\(check.gate.name) · \(check.label)\(check.counted ? " · instructions" : "")" }

  /// A measured ratio that failed on one measurement only: measured again
  /// before it stands. (A failed or missing cell fails with no ratio: running
  /// a wrong answer again proves nothing.)
  var isUnconfirmedFailure: Bool { verdict == .fail && ratio != nil && measurements < 2 && !check.counted }
}

// MARK: - Evaluation with re-measurement

/// Reaches every check's verdict. A check whose band straddles its threshold
/// has its cells measured again (the new samples join the old, so the band
/// narrows), up to `remeasure` times; if it still straddles, it is inconclusive.
///
/// A failure must also survive one more measurement before it stands: a check
/// that fails on its first measurement is measured again like a straddling
/// one (when `remeasure` allows a round). A real regression fails again with
/// twice the samples; a disturbance that lasted one round (on CI, unsafe
/// fannkuch-redux once read 1.16×, band 1.12–1.19, against C's 1.02–1.05×
/// in every other run) is outvoted by the fresh samples.
struct GateEvaluator {
  var checks: [GateCheck]
  var remeasure: Int
  var clock = Clock.auto
  /// Cells measured so far, samples of every round merged.
  var cells: [CellID: CellResult]
  var baseline: [CellID: CellResult] = [:]
  /// Counted cells (`--measure instructions`), measured once: a count
  /// measured again is the same count, so counted checks are never re-measured.
  var counts: [CellID: CellResult] = [:]
  /// Rounds of re-measurement made.
  private(set) var rounds = 0
  /// The measurements (0 the first, then each re-measure round) whose samples
  /// each cell holds, in order; a cell not listed was measured in the first only.
  /// Two cells of one build with the same list were sampled in the same
  /// rounds of the same workers, so their i-th samples pair up.
  private(set) var measuredIn: [CellID: [Int]] = [:]

  /// `measure` is given the cells to measure again and returns their new results.
  mutating func evaluate(measure: ([CellID]) throws -> [CellResult]) rethrows -> [GateOutcome] {
    var measurements = [CellID: Int]()
    for id in cells.keys { measurements[id] = 1 }
    // Ratios of checks that failed their first measurement, by name.
    var firstFailures: [String: MeasuredRatio] = [:]
    while true {
      var judged = checks.map { judge($0, measurements: measurements) }
      for outcome in judged where outcome.isUnconfirmedFailure { firstFailures[outcome.name] = outcome.ratio }
      let unsettled = judged.filter { !$0.check.counted && ($0.verdict == .inconclusive || $0.isUnconfirmedFailure) }
      if unsettled.isEmpty || rounds >= remeasure {
        // Say so when a failure did not survive being measured again.
        for index in judged.indices where judged[index].verdict != .fail {
          guard let first = firstFailures[judged[index].name] else { continue }
          let note = "failed its first measurement at \(first.text), not confirmed when measured again"
          judged[index].reason = [judged[index].reason, note].compactMap { $0 }.joined(separator: "; ")
        }
        return judged
      }
      rounds += 1
      var again: [CellID] = []
      for outcome in unsettled {
        for id in outcome.check.cells where !again.contains(id) { again.append(id) }
      }
      merge(try measure(again))
      for id in again {
        measurements[id, default: 0] += 1
        measuredIn[id, default: [0]].append(rounds)
      }
    }
  }

  /// The verdict on `check` with the samples at hand (`inconclusive` when the band straddles).
  func judge(_ check: GateCheck, measurements: [CellID: Int] = [:]) -> GateOutcome {
    if let reason = check.skipReason {
      return GateOutcome(check: check, verdict: .skipped, ratio: nil, reason: reason, measurements: 0)
    }
    if check.counted { return judgeCounts(check) }
    var terms: [(numerator: [Double], denominator: [Double])] = []
    for term in check.terms {
      var pair: [[Double]] = []
      for operand in [term.numerator, term.denominator] {
        let cell: CellResult?
        switch operand {
        case .cell(let id): cell = cells[id]
        case .baseline(let id): cell = baseline[id]
        }
        let source: String
        if case .baseline = operand { source = "baseline cell" } else { source = "cell" }
        guard let cell else {
          return GateOutcome(check: check, verdict: .fail, ratio: nil, reason: "\(source) \(operand.id) was not measured", measurements: 0)
        }
        guard !cell.failed, cell.samples.count > 0 else {
          return GateOutcome(
            check: check, verdict: .fail, ratio: nil,
            reason: "\(source) \(operand.id) failed: \(cell.verification.detail)", measurements: 0)
        }
        pair.append(cell.gateSamples(clock).samples)
      }
      terms.append((pair[0], pair[1]))
    }
    let ratio = pairedRatio(check, terms) ?? MeasuredRatio.of(terms)
    let count = check.cells.compactMap { measurements[$0] }.min() ?? 1
    var verdict = check.gate.bound.judge(ratio) ?? .inconclusive
    var reason: String?
    // A multi-thread cell that did not get the cores it claims to measure
    // proves nothing by failing: its threads were preempted again and again,
    // or its times scattered (a serial regression is slow *and* steady).
    let contended = check.cells.filter { $0.threads > 1 }.compactMap { id -> (CellID, String)? in
      guard let cell = cells[id] else { return nil }
      if let rate = cell.preemptionsPerSecond, rate >= Self.contendedPreemptions {
        return (id, "other processes preempted \(id.rung)'s threads \(Int(rate.rounded())) times a second")
      }
      if let statistics = cell.statistics, statistics.isNoisy {
        return (id, "\(id.rung)'s times scattered (CV \(formatPercent(statistics.cv)) > \(formatPercent(SampleStatistics.noisyCV)))")
      }
      return nil
    }
    if verdict == .fail, let (id, why) = contended.first {
      verdict = .inconclusive
      reason = "\(why); not a fair test of \(id.threads) threads"
    }
    return GateOutcome(check: check, verdict: verdict, ratio: ratio, reason: reason, measurements: count)
  }

  /// The verdict on a counted check: its cells' instruction counts, measured
  /// once. A cell that crashed under valgrind, or whose count could not be
  /// read, fails the check with the reason (valgrind's first error line).
  func judgeCounts(_ check: GateCheck) -> GateOutcome {
    var terms: [(numerator: [Double], denominator: [Double])] = []
    for term in check.terms {
      var pair: [[Double]] = []
      for operand in [term.numerator, term.denominator] {
        let source: String
        let cell: CellResult?
        switch operand {
        case .cell(let id): (source, cell) = ("counted cell", counts[id])
        case .baseline(let id): (source, cell) = ("baseline cell", baseline[id])
        }
        guard let cell else {
          return GateOutcome(check: check, verdict: .fail, ratio: nil, reason: "\(source) \(operand.id) was not counted", measurements: 0)
        }
        guard !cell.failed else {
          return GateOutcome(
            check: check, verdict: .fail, ratio: nil, reason: "\(source) \(operand.id) failed: \(cell.verification.detail)",
            measurements: 0)
        }
        guard let instructions = cell.instructions, !instructions.isEmpty, instructions.allSatisfy({ $0.isFinite && $0 > 0 }) else {
          return GateOutcome(
            check: check, verdict: .fail, ratio: nil, reason: "\(source) \(operand.id) has no instruction counts", measurements: 0)
        }
        pair.append(instructions)
      }
      terms.append((pair[0], pair[1]))
    }
    let ratio = MeasuredRatio.counted(terms)
    return GateOutcome(
      check: check, verdict: check.gate.bound.judge(ratio) ?? .inconclusive, ratio: ratio,
      reason: nil, measurements: 1)
  }

  /// The paired-rounds ratio of a one-kernel check whose two cells are of
  /// one build (one worker, interleaved rounds: with the gates' forced sample
  /// count the Runner gives every cell one sample per round) and were
  /// measured in the same measurements; nil otherwise (another build, a
  /// baseline, several kernels, or too few rounds).
  func pairedRatio(_ check: GateCheck, _ terms: [(numerator: [Double], denominator: [Double])]) -> MeasuredRatio? {
    guard check.terms.count == 1, terms.count == 1,
      case .cell(let a) = check.terms[0].numerator, case .cell(let b) = check.terms[0].denominator,
      a.build == b.build, a.kernel == b.kernel,
      measuredIn[a, default: [0]] == measuredIn[b, default: [0]]
    else { return nil }
    return MeasuredRatio.paired(terms[0].numerator, terms[0].denominator)
  }

  /// Preemptions a second above which a multi-thread cell's failing ratio is
  /// not trusted (inconclusive instead, and measured again). Measured on this
  /// project's 2-core VM: 26–40 a second with the machine otherwise idle,
  /// 180–8300 with one core kept busy by another process.
  static let contendedPreemptions = 100.0

  /// Adds the samples of `new` to the cells already measured. A cell that
  /// fails now is failed, whatever it measured before.
  mutating func merge(_ new: [CellResult]) {
    for cell in new {
      guard var old = cells[cell.id], !old.failed, !cell.failed else {
        cells[cell.id] = cell
        continue
      }
      if let a = old.preemptionsPerSecond, let b = cell.preemptionsPerSecond {
        let (m, n) = (Double(old.samples.count), Double(cell.samples.count))
        old.preemptionsPerSecond = (a * m + b * n) / (m + n)
      }
      old.samples += cell.samples
      old.cpuSamples += cell.cpuSamples
      old.statistics = SampleStatistics(old.samples)
      old.runsPerSample = cell.runsPerSample
      for note in cell.notes where !old.notes.contains(note) { old.notes.append(note) }
      old.notes.removeAll { $0.hasPrefix("noisy:") }
      if let statistics = old.statistics, statistics.isNoisy {
        old.notes.append("noisy: CV \(formatPercent(statistics.cv)) > \(formatPercent(SampleStatistics.noisyCV))")
      }
      cells[cell.id] = old
    }
  }
}
