// The ladder's one definition (MeasurementKit/Ladder.swift): its rungs in
// order, a rung left out where its cell was not measured, the top thread
// count, and the worker's sampling reading the same rungs as the report.

import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Reports

@Suite("The ladder")
struct LadderTests {
  static func rungs(
    _ ladder: Ladder = .standard, topThreads: Int = 2, measured: @escaping (CellID) -> Bool = { _ in true }
  ) -> [String] {
    ladder.rungs(of: "mandelbrot", topThreads: topThreads, isMeasured: measured).map(\.rung)
  }

  @Test func everyKindOfStepIsDefinedOnceInClimbingOrder() {
    #expect(Ladder.standard.steps.map(\.kind) == StepKind.allCases)
    for step in Ladder.standard.steps {
      #expect(!step.reason.isEmpty, "\(step.kind) has no reason for explain")
      #expect(!step.summary.isEmpty)
    }
  }

  @Test func everythingMeasuredClimbsEveryRung() {
    #expect(Self.rungs() == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1", "release·unsafe·1", "release·c·1",
      "release·c-vector·1", "native·c-vector·1", "native·c-vector·2",
    ])
    let steps = Ladder.standard.steps(of: "mandelbrot", topThreads: 4) { _ in true }
    #expect(steps.map(\.name) == [
      "compiler", "representation", "safety checks", "C", "vectors", "target CPU", "4 cores",
    ])
    #expect(steps[1].what == "idiomatic → span Swift, release, 1 thread")
    #expect(steps[2].what == "span → unsafe Swift, release, 1 thread")
    #expect(steps[5].what == "release → native, C vector, 1 thread")
    #expect(steps[6].what == "1 → 4 threads, native C vector")
  }

  /// A rung defined "where measured" is left out when its cell is not, and the
  /// climb goes on from the rung below; a rung defined "always" stays (the
  /// report shows it missing).
  @Test func anUnmeasuredRungIsLeftOutAndTheClimbGoesOnFromTheRungBelow() {
    let noVectors = Self.rungs { $0.flavour != .cVector }
    #expect(noVectors == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1", "release·unsafe·1", "release·c·1", "native·c·1",
      "native·c·2",
    ])
    #expect(Self.rungs { _ in false } == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1", "release·unsafe·1", "release·c·1", "release·c·2",
    ])
    let noNative = Ladder.standard.steps(of: "mandelbrot", topThreads: 2) { $0.build != .native }
    #expect(noNative.last?.what == "1 → 2 threads, release C vector")
  }

  /// All cores on one thread changes nothing, so the ladder has no cores step.
  @Test func oneThreadHasNoCoresStep() {
    #expect(Self.rungs(topThreads: 1).last == "native·c-vector·1")
  }

  /// A flavour rung is one entry in the definition: here a stand-in between
  /// idiomatic and span (as span sits between idiomatic and unsafe), measured or not.
  @Test func aFlavourRungIsOneEntry() {
    var ladder = Ladder.standard
    var between = ladder.steps[1]
    between.change = .flavour(.vector)
    between.presence = .whereMeasured
    ladder.steps.insert(between, at: 1)
    #expect(Array(Self.rungs(ladder).prefix(4)) == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·vector·1", "release·span·1",
    ])
    #expect(Array(Self.rungs(ladder) { $0.flavour != .vector }.prefix(3)) == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1",
    ])
  }

  /// "All cores": the largest measured count within the cores when more than
  /// one is, else the largest measured (a sweep's 2 × cores oversubscribes).
  @Test func topThreadsIsTheLargestCountTheCoresRunAtOnce() {
    #expect(Ladder.topThreads(measured: [1, 2, 3, 4], cores: 2) == 2)
    #expect(Ladder.topThreads(measured: [1, 2], cores: 2) == 2)
    #expect(Ladder.topThreads(measured: [1, 4], cores: 2) == 4)
    #expect(Ladder.topThreads(measured: [1], cores: 2) == 1)
    #expect(Ladder.topThreads(measured: [], cores: 2) == 1)
  }

  /// The worker sees only its own build's cells; the rungs it samples as the
  /// ladder are still the report's, in every build of the run.
  @Test(arguments: [[Build.debug, .release, .native], [.debug, .release], [.release], [.release, .native], [.native]])
  func theWorkersSamplingFollowsTheReportsLadder(builds: [Build]) throws {
    let found = Kernels.kernel(named: "mandelbrot")
    let kernel = try #require(found)
    var all: [CellID] = []
    for build in builds {
      for flavour in Flavour.allCases where kernel.notApplicable(flavour) == nil {
        for threads in [1, 2] { all.append(CellID(kernel: "mandelbrot", flavour: flavour, build: build, threads: threads)) }
      }
    }
    var results = Fixtures.Results.sample(all.map { Fixtures.Results.cell($0.flavour, $0.build, threads: $0.threads, median: 0.1) })
    results.settings.threads = [1, 2]
    let reported = Set(LadderView(results).rungs(for: "mandelbrot").filter { results.cell($0) != nil })
    var sampled = Set<CellID>()
    for build in builds {
      let plan = SamplingPlan.forLadder(
        cells: all.filter { $0.build == build }, builds: builds, topThreads: 2, forcedSamples: nil)
      sampled.formUnion(plan.roles.filter { $0.value == .ladder || $0.value == .debugLadder }.keys)
    }
    let vectorFinding = CellID(kernel: "mandelbrot", flavour: .vector, build: builds.last ?? .release, threads: 1)
    #expect(!reported.isEmpty)
    #expect(sampled.subtracting([vectorFinding]) == reported)
  }
}
