// The stopping rule (MeasurementKit/Sampling.swift) on synthetic sample
// streams: no clock, no kernel; a seeded generator plays a quiet or a noisy cell.

import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Reports

@Suite("Sampling until precise")
struct SamplingTests {
  static func id(_ flavour: Flavour, _ build: Build = .release, threads: Int = 1) -> CellID {
    CellID(kernel: "mandelbrot", flavour: flavour, build: build, threads: threads)
  }

  /// A cell's samples: `median` seconds with relative noise `spread` (uniform
  /// ±spread, and every `outlierEvery`-th sample 30% slow, a preemption).
  struct Stream {
    var median: Double
    var spread: Double
    var outlierEvery = 0
    var rng: SplitMix64
    var taken = 0

    init(median: Double, spread: Double, outlierEvery: Int = 0, seed: UInt64) {
      self.median = median
      self.spread = spread
      self.outlierEvery = outlierEvery
      rng = SplitMix64(seed: seed)
    }

    mutating func next() -> Double {
      taken += 1
      let u = Double(rng.next() >> 11) / Double(1 << 53) * 2 - 1
      let outlier = outlierEvery > 0 && taken % outlierEvery == 0 ? 1.3 : 1
      return median * (1 + spread * u) * outlier
    }
  }

  /// Samples cells in rounds, as the runner does, until the plan stops them all;
  /// returns each cell's samples.
  static func sample(
    _ plan: SamplingPlan, _ streams: [CellID: Stream], longRun: Set<CellID> = []
  ) -> [CellID: [Double]] {
    var streams = streams
    var samples: [CellID: [Double]] = streams.mapValues { _ in [] }
    for _ in 0..<1000 {
      let order = samples.keys.sorted(by: catalogue.lists(_:before:)).filter { id in
        plan.needsSample(
          id, samples: samples[id]!, sampledSeconds: samples[id]!.reduce(0, +), longRun: longRun.contains(id),
          others: { samples[$0] ?? [] })
      }
      if order.isEmpty { break }
      for id in order { samples[id]!.append(streams[id]!.next()) }
    }
    return samples
  }

  static func outcome(_ plan: SamplingPlan, _ id: CellID, _ samples: [CellID: [Double]], longRun: Bool = false)
    -> SamplingRecord
  {
    plan.outcome(
      id, samples: samples[id]!, sampledSeconds: samples[id]!.reduce(0, +), longRun: longRun,
      firstRunCounted: false, others: { samples[$0] ?? [] })
  }

  @Test func precisionIsTheMediansRelativeHalfWidth() throws {
    #expect(medianPrecision([1.0]) == nil)
    // Below 6 samples the interval is the range: two samples 2% apart are ±1%.
    let two = try #require(medianPrecision([0.99, 1.01]))
    #expect(abs(two - 0.01) < 1e-12)
    // The ranks keep ≥ 95% confidence: 1 up to 8 samples, 2 from 9, 3 from 12 (binomial tables).
    #expect([5, 6, 8, 9, 11, 12, 17, 18].map(medianIntervalRank) == [1, 1, 1, 2, 2, 3, 5, 5])
    // From 9 samples, one preempted sample does not widen the interval.
    let quiet = [1.0, 1.001, 0.999, 1.002, 0.998, 1.0, 1.001, 0.999, 1.0]
    var withOutlier = quiet
    withOutlier[4] = 1.5
    let a = try #require(medianPrecision(quiet))
    let b = try #require(medianPrecision(withOutlier))
    #expect(b <= 2 * a, "\(a) \(b)")
  }

  /// A quiet ladder cell stops at its minimum; a noisy one samples on to its cap.
  @Test func aQuietCellStopsEarlyAndANoisyOneGoesToItsCap() {
    let quiet = Self.id(.idiomatic)
    let noisy = Self.id(.unsafe, threads: 2)
    var plan = SamplingPlan(forcedSamples: nil)
    plan.roles = [quiet: .ladder, noisy: .ladder]
    let samples = Self.sample(
      plan,
      [
        quiet: Stream(median: 0.05, spread: 0.003, seed: 1),
        noisy: Stream(median: 0.05, spread: 0.25, outlierEvery: 3, seed: 2),
      ])
    #expect(samples[quiet]!.count == SamplingRole.ladder.minSamples)
    #expect(Self.outcome(plan, quiet, samples).stop == .precise)
    #expect(samples[noisy]!.count == SamplingRole.ladder.maxSamples)
    let record = Self.outcome(plan, noisy, samples)
    #expect(record.stop == .cap)
    #expect((record.precision ?? 0) > SamplingRole.ladder.target)
  }

  /// The time cap stops a slow noisy cell before its sample cap.
  @Test func theTimeCapStopsASlowCell() {
    let slow = Self.id(.idiomatic)
    var plan = SamplingPlan(forcedSamples: nil)
    plan.roles = [slow: .ladder]
    let samples = Self.sample(plan, [slow: Stream(median: 0.08, spread: 0.3, seed: 3)])
    // About 80 ms a sample, past its minimum of five: the cell stops at the first sample that takes it past the time cap.
    let taken = samples[slow]!
    #expect(taken.count < SamplingRole.ladder.maxSamples)
    #expect(taken.reduce(0, +) >= SamplingRole.ladder.maxSeconds)
    #expect(taken.dropLast().reduce(0, +) < SamplingRole.ladder.maxSeconds)
    #expect(Self.outcome(plan, slow, samples).stop == .cap)
  }

  /// `--samples N` is exact, whatever the noise and role.
  @Test(arguments: [1, 2, 7])
  func aForcedCountIsExact(count: Int) {
    let quiet = Self.id(.c)
    let noisy = Self.id(.idiomatic, .debug)
    let plan = SamplingPlan(forcedSamples: count)
    let samples = Self.sample(
      plan,
      [quiet: Stream(median: 0.05, spread: 0.001, seed: 4), noisy: Stream(median: 0.05, spread: 0.4, seed: 5)],
      longRun: [noisy])
    #expect(samples[quiet]!.count == count && samples[noisy]!.count == count)
    #expect(Self.outcome(plan, noisy, samples).stop == .forced)
    #expect(Self.outcome(plan, noisy, samples).target == nil)
  }

  /// Unsafe Swift and C 1.05× apart with 3% noise: each is precise enough on
  /// its own, but their ratio straddles the "buys nothing" line, so both take
  /// more samples than a pair clear of every line (1.50× apart).
  @Test func aPairOnALineSamplesMore() {
    let unsafe = Self.id(.unsafe)
    let c = Self.id(.c)
    var plan = SamplingPlan(forcedSamples: nil)
    plan.roles = [unsafe: .ladder, c: .ladder]
    plan.pairs = [ComparedPair(a: unsafe, b: c)]
    let onTheLine = Self.sample(
      plan, [unsafe: Stream(median: 0.0525, spread: 0.03, seed: 6), c: Stream(median: 0.05, spread: 0.03, seed: 7)])
    let clear = Self.sample(
      plan, [unsafe: Stream(median: 0.075, spread: 0.03, seed: 6), c: Stream(median: 0.05, spread: 0.03, seed: 7)])
    #expect(onTheLine[unsafe]!.count > clear[unsafe]!.count)
    #expect(onTheLine[c]!.count > clear[c]!.count)
    #expect(Self.outcome(plan, unsafe, clear).straddling == nil)
    let record = Self.outcome(plan, unsafe, onTheLine)
    if record.stop == .cap { #expect(record.straddling == "release·c·1 near 1.05×") }
  }

  /// A long debug run off the ladder is measured once (its verifying run);
  /// a long debug rung on the ladder twice; a short one at least three times.
  @Test func debugCellsStopEarly() {
    let offLadder = Self.id(.idiomatic, .debug, threads: 2)
    let onLadder = Self.id(.idiomatic, .debug)
    let short = Self.id(.c, .debug)
    let plan = SamplingPlan.forLadder(
      cells: [offLadder, onLadder, short], builds: [.debug, .release], topThreads: 2, forcedSamples: nil)
    let samples = Self.sample(
      plan,
      [
        offLadder: Stream(median: 1.2, spread: 0.02, seed: 8), onLadder: Stream(median: 2.0, spread: 0.02, seed: 9),
        short: Stream(median: 0.05, spread: 0.02, seed: 10),
      ], longRun: [offLadder, onLadder])
    #expect(samples[offLadder]!.count == 1)
    #expect(Self.outcome(plan, offLadder, samples, longRun: true).stop == .single)
    #expect(samples[onLadder]!.count == SamplingRole.debugLadder.minSamplesLong)
    #expect(samples[short]!.count == SamplingRole.debugMatrix.minSamples)
  }

  @Test func jsonKeepsTheSamplingRecord() throws {
    var cell = Fixtures.Results.cell(.c, .release, median: 0.01)
    cell.sampling = SamplingRecord(target: 0.02, precision: 0.013, stop: .cap, straddling: "release·unsafe·1 near 1.05×")
    var results = Fixtures.Results.sample([cell])
    results.settings.samples = nil
    results.incomplete = true
    let decoded = try RunResults.decode(try results.json())
    #expect(decoded == results)
    #expect(decoded.cells[0].sampling?.straddling == "release·unsafe·1 near 1.05×")
    #expect(TextTable(results).header.contains("until precise"))
    #expect(TextTable(results).footer.hasPrefix("Interrupted:"))
  }
}
