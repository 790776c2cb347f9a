import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports
@testable import WorkerProtocol
@testable import Workers

/// The CI gate: its file, its verdicts, its baselines, its slowdown injector and its outputs.
/// Behaviour only: every sample here is synthetic, or a threshold so far off that no machine can miss it.
@Suite("Gates")
struct GateTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let unsafeGate = #"{ "name": "u", "kernels": ["mandelbrot"], "ratio": "release·unsafe·1 / release·c·1", "atMost": 1.1 }"#

  // MARK: - The gates file

  @Test func shippedGatesFileParses() throws {
    let path = Self.packageRoot.appendingPathComponent("bench/gates.json").path
    let file = try GateFile.load(path)
    #expect(file.size == SizeRequest())
    #expect(file.gates.count >= 4)
    #expect(file.gates.contains { $0.kind == .ratio(
      RungSpec(build: .release, flavour: .c, threads: 1), RungSpec(build: .release, flavour: .c, threads: nil)) })
    // Every gate names kernels and a threshold, and the 'all' rung stays symbolic.
    for gate in file.gates { #expect(!gate.kernels.isEmpty && gate.bound.threshold > 0) }
  }

  @Test func rungsAcceptMiddleDotsAndASCIIDots() throws {
    let file = try GateFile.parse(
      Fixtures.Gate.gateFile(#"{ "name": "t", "kernels": "all", "combine": "geomean", "ratio": "release.c.1 / release·c·all", "atLeast": 1.5 }"#),
      path: "g.json")
    let gate = try #require(file.gates.first)
    #expect(gate.kernels.count == 10)
    #expect(gate.combine == .geomean)
    #expect(gate.bound == .atLeast(1.5))
    #expect(gate.formula == "release·c·1 / release·c·all ≥ 1.50")
  }

  /// Bad files, and what the one-line error must say (file, position, problem).
  static let badFiles: [(String, String)] = [
    ("", "g.json: the file is empty"),
    ("{\n  \"gates\": [\n    { \"name\": \"a\" \"kernels\": \"all\" }\n  ]\n}", "g.json: line 3, column"),
    ("{ \"gates\": [\(unsafeGate)", "g.json: line 1 (unexpected end of file): not valid JSON (truncated?)"),
    ("[1, 2]", "expected a JSON object"),
    ("{ \"gates\": [] }", "gates: the list is empty"),
    ("{ \"gate\": [] }", "\"gate\" (line 1): unknown key"),
    ("{ \"size\": \"huge\", \"gates\": [\(unsafeGate)] }", "g.json: size: use \"tiny\""),
    ("{ \"size\": 3, \"gates\": [\(unsafeGate)] }", "mandelbrot cannot take size 3"),
    ("{ \"samples\": 1, \"gates\": [\(unsafeGate)] }", "samples: use a count in 2...1000"),
    (#"{ "gates": [{ "kernels": "all", "ratio": "release·c·1 / debug·c·1", "atMost": 2 }] }"#, "gates[0]: needs a \"name\""),
    (#"{ "gates": [{ "name": "x", "kernels": ["mandlebrot"], "ratio": "release·c·1 / debug·c·1", "atMost": 2 }] }"#,
     "gates[0] \"x\" (line 1): unknown kernel mandlebrot"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·rust·1 / debug·c·1", "atMost": 2 }] }"#,
     "unknown flavour 'rust' in 'release·rust·1'"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "fast·c·1 / debug·c·1", "atMost": 2 }] }"#,
     "unknown build 'fast'"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / release·c·1", "atMost": 2 }] }"#,
     "compares release·c·1 with itself"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1", "atMost": 2 }] }"#, "must read \"A / B\""),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / debug·c·1", "atMost": -1 }] }"#,
     "\"atMost\" must be a positive number, got -1"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / debug·c·1", "atLeast": "3" }] }"#,
     "\"atLeast\" must be a positive number"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / debug·c·1" }] }"#, "needs a threshold"),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / debug·c·1", "atMost": 2, "atLeast": 1 }] }"#,
     "has both \"atMost\" and \"atLeast\""),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "baseline": "release·c·1", "ratio": "release·c·1 / debug·c·1", "atMost": 2 }] }"#,
     "has both \"ratio\" and \"baseline\""),
    (#"{ "gates": [{ "name": "x", "kernels": "all", "ratio": "release·c·1 / debug·c·1", "atMost": 2, "threshold": 1 }] }"#,
     "unknown key \"threshold\""),
    ("{ \"gates\": [\(unsafeGate), \(unsafeGate)] }", "gates[1] \"u\": a gate with this name comes earlier"),
  ]

  @Test(arguments: badFiles)
  func badGatesFileIsOneLineNamingFileAndPosition(text: String, message: String) {
    do {
      _ = try GateFile.parse(Data(text.utf8), path: "g.json")
      Issue.record("parsed: \(text)")
    } catch let error as UsageError {
      #expect(error.message.contains(message), "\(error.message)")
      #expect(error.message.hasPrefix("g.json: "))
      #expect(!error.message.contains("\n"))
    } catch {
      Issue.record("\(error)")
    }
  }

  @Test func missingGatesFile() {
    #expect(throws: UsageError("/nonexistent/gates.json: no such gates file")) {
      try GateFile.load("/nonexistent/gates.json")
    }
  }

  // MARK: - Checks on this machine

  @Test func allCoresGateIsSkippedOnOneCore() throws {
    let file = try GateFile.parse(
      Fixtures.Gate.gateFile(#"{ "name": "cores", "kernels": ["nqueens"], "ratio": "release·c·1 / release·c·all", "atLeast": 1.6 }"#),
      path: "g.json")
    let one = file.checks(cores: 1, haveBaseline: false)
    #expect(one.count == 1)
    #expect(one[0].skipReason?.contains("needs ≥ 2 cores") == true)
    #expect(one[0].cells.isEmpty == false)
    let two = file.checks(cores: 2, haveBaseline: false)
    #expect(two[0].skipReason == nil)
    #expect(two[0].cells.map(\.threads) == [1, 2])
  }

  @Test func baselineGateIsSkippedWithoutABaseline() throws {
    let file = try GateFile.parse(
      Fixtures.Gate.gateFile(#"{ "name": "b", "kernels": ["sieve", "nbody"], "baseline": "release·c·1", "atMost": 1.3 }"#), path: "g.json")
    #expect(file.checks(cores: 2, haveBaseline: false).allSatisfy { $0.skipReason == "no --baseline FILE given" })
    let checks = file.checks(cores: 2, haveBaseline: true)
    #expect(checks.map(\.label) == ["sieve", "nbody"])
    #expect(checks[0].terms[0].denominator == .baseline(CellID(kernel: "sieve", flavour: .c, build: .release, threads: 1)))
  }

  // MARK: - Bands and verdicts

  @Test func bandOfIdenticalSamplesIsTheFloor() {
    let ratio = MeasuredRatio.of([(numerator: [2, 2, 2, 2, 2], denominator: [1, 1, 1, 1, 1])])
    #expect(ratio.value == 2)
    let halfWidth = NoiseBand.z * (2 * NoiseBand.floor * NoiseBand.floor).squareRoot()
    #expect(abs(ratio.high - 2 * exp(halfWidth)) < 1e-12)
    #expect(abs(ratio.low - 2 * exp(-halfWidth)) < 1e-12)
  }

  @Test func bandWidensWithSpreadAndNarrowsWithSamples() {
    let spread = [1.0, 1.1, 0.9, 1.05, 0.95]
    let error = NoiseBand.relativeError(spread)
    // MAD 0.05 → σ ≈ 0.0741 → SE of the median ≈ 1.2533 σ / √5.
    #expect(abs(error - 1.2533 * 1.4826 * 0.05 / 5.0.squareRoot()) < 1e-9)
    #expect(NoiseBand.relativeError(spread + spread) < error)
    let wide = MeasuredRatio.of([(numerator: spread, denominator: [1, 1, 1, 1, 1])])
    let narrow = MeasuredRatio.of([(numerator: spread + spread + spread, denominator: [1, 1, 1, 1, 1])])
    #expect(wide.high - wide.low > narrow.high - narrow.low)
    #expect(NoiseBand.relativeError([1]) == 1)  // one sample says nothing about noise
  }

  @Test func geometricMeanOfSeveralKernels() {
    let ratio = MeasuredRatio.of([
      (numerator: [4, 4, 4], denominator: [1, 1, 1]), (numerator: [1, 1, 1], denominator: [1, 1, 1]),
    ])
    #expect(abs(ratio.value - 2) < 1e-12)
  }

  @Test func judgeAgainstEachBound() {
    let band = MeasuredRatio(value: 1.2, low: 1.1, high: 1.3)
    #expect(Bound.atMost(1.5).judge(band) == .pass)
    #expect(Bound.atMost(1.0).judge(band) == .fail)
    #expect(Bound.atMost(1.2).judge(band) == nil)  // straddles: measure again
    #expect(Bound.atLeast(1.0).judge(band) == .pass)
    #expect(Bound.atLeast(1.5).judge(band) == .fail)
    #expect(Bound.atLeast(1.25).judge(band) == nil)
  }

  static func evaluator(bound: String, unsafe: [Double], c: [Double], remeasure: Int = 3) throws -> GateEvaluator {
    let gate = #"{ "name": "u", "kernels": ["mandelbrot"], "ratio": "release·unsafe·1 / release·c·1", \#(bound) }"#
    let file = try GateFile.parse(Fixtures.Gate.gateFile(gate), path: "g.json")
    let cells = [Fixtures.Gate.cell(.unsafe, unsafe), Fixtures.Gate.cell(.c, c)]
    return GateEvaluator(
      checks: file.checks(cores: 2, haveBaseline: false), remeasure: remeasure,
      cells: Dictionary(uniqueKeysWithValues: cells.map { ($0.id, $0) }))
  }

  /// Evaluates with every re-measurement returning `unsafe` and `c`; also
  /// returns the cells each re-measurement asked for.
  static func evaluate(
    _ evaluator: inout GateEvaluator, remeasuredAs unsafe: [Double], _ c: [Double]
  ) -> (outcomes: [GateOutcome], requests: [[CellID]]) {
    var requests: [[CellID]] = []
    let outcomes = evaluator.evaluate { ids in
      requests.append(ids)
      return [Fixtures.Gate.cell(.unsafe, unsafe), Fixtures.Gate.cell(.c, c)]
    }
    return (outcomes, requests)
  }

  @Test func clearPassNeedsNoRemeasurement() throws {
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: [1.0, 1.01, 0.99, 1.0, 1.0], c: [1, 1, 1, 1, 1])
    var calls = 0
    let outcomes = evaluator.evaluate { _ in
      calls += 1
      return []
    }
    #expect(outcomes.map(\.verdict) == [.pass])
    #expect(calls == 0)
    #expect(outcomes[0].ratio.map { $0.low < 1 && $0.high > 1 } == true)
  }

  /// A clear failure is measured once more; a real regression fails again
  /// and the verdict stands on both measurements' samples.
  @Test func clearFailIsConfirmedByOneMoreMeasurement() throws {
    let slow = [1.25, 1.26, 1.24, 1.25, 1.25]
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: slow, c: [1, 1, 1, 1, 1])
    let (outcomes, requests) = Self.evaluate(&evaluator, remeasuredAs: slow, [1, 1, 1, 1, 1])
    #expect(outcomes.map(\.verdict) == [.fail])
    #expect(requests.count == 1)
    #expect(requests.first.map { Set($0.map(\.flavour)) } == [.unsafe, .c])
    #expect(outcomes[0].measurements == 2)
    #expect(outcomes[0].reason == nil)
    #expect(evaluator.cells.values.allSatisfy { $0.samples.count == 10 })
  }

  /// One round disturbed (unsafe 1.16× C, as once on CI), the next one not:
  /// the fresh samples outvote the disturbed ones and no failure is reported.
  @Test func aFailureThatDoesNotReproduceDoesNotStand() throws {
    let disturbed = [1.16, 1.15, 1.17, 1.16, 1.18]
    var evaluator = try Self.evaluator(bound: #""atMost": 1.10"#, unsafe: disturbed, c: [1, 1, 1, 1, 1])
    #expect(evaluator.judge(evaluator.checks[0]).verdict == .fail)
    let (outcomes, requests) = Self.evaluate(&evaluator, remeasuredAs: [1.02, 1.01, 1.03, 1.02, 1.02], [1, 1, 1, 1, 1])
    // Paired rounds: after round 1 the ten round ratios (half disturbed)
    // straddle 1.10, after round 2 the fifteen still do (the interval's 4th
    // largest is a disturbed one); after round 3 the undisturbed majority decides.
    #expect(requests.count == 3)
    #expect(outcomes[0].verdict == .pass)
    #expect(outcomes[0].reason?.hasPrefix("failed its first measurement at 1.16× (") == true, "\(outcomes[0])")

    // The terminal report names it in a section of its own.
    let report = GateReport(
      file: try GateFile.parse(Fixtures.Gate.gateFile(Self.unsafeGate), path: "g.json"), outcomes: outcomes,
      results: Fixtures.Results.sample(Array(evaluator.cells.values)), rounds: evaluator.rounds, slowdowns: [],
      baselinePath: nil, seconds: 1)
    let text = report.text()
    #expect(text.contains("pass          u · mandelbrot"), "\(text)")
    #expect(text.contains("\nPassed after a failure that did not reproduce:\n  u · mandelbrot: release·unsafe·1 / release·c·1 (median of paired rounds, 95% interval) = "), "\(text)")
    #expect(text.contains(", measured 4× — failed its first measurement at 1.16× ("), "\(text)")
  }

  /// With no re-measurement allowed, a failure stands on one measurement.
  @Test func clearFailWithoutRemeasurementStands() throws {
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: [1.25, 1.26, 1.24, 1.25, 1.25], c: [1, 1, 1, 1, 1], remeasure: 0)
    var calls = 0
    let outcomes = evaluator.evaluate { _ in
      calls += 1
      return []
    }
    #expect(outcomes.map(\.verdict) == [.fail])
    #expect(calls == 0)
  }

  /// A band that keeps straddling is re-measured `remeasure` times, the cells
  /// interleaved in one request each round, then called inconclusive.
  @Test func straddlingIsRemeasuredThenInconclusive() throws {
    let noisy = [1.0, 1.3, 1.15, 0.95, 1.35]
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: noisy, c: [1, 1, 1, 1, 1], remeasure: 3)
    let (outcomes, requests) = Self.evaluate(&evaluator, remeasuredAs: noisy, [1, 1, 1, 1, 1])
    #expect(requests.count == 3)
    #expect(requests.allSatisfy { Set($0.map(\.flavour)) == [.unsafe, .c] })
    #expect(outcomes.map(\.verdict) == [.inconclusive])
    #expect(outcomes[0].measurements == 4)
    #expect(evaluator.cells.values.allSatisfy { $0.samples.count == 20 })
  }

  /// More samples narrow the band until the verdict is clear.
  @Test func straddlingThenPassesOnceTheBandNarrows() throws {
    let first = [1.0, 1.1, 0.9, 1.2, 1.0]
    var evaluator = try Self.evaluator(bound: #""atMost": 1.12"#, unsafe: first, c: [1, 1, 1, 1, 1])
    #expect(evaluator.judge(evaluator.checks[0]).verdict == .inconclusive)
    let (outcomes, requests) = Self.evaluate(&evaluator, remeasuredAs: [1, 1, 1, 1, 1], [1, 1, 1, 1, 1])
    #expect(requests.count == 1)
    #expect(outcomes.map(\.verdict) == [.pass])
  }

  @Test func failingScalingWhileThreadsWerePreemptedIsInconclusive() throws {
    let gate = #"{ "name": "cores", "kernels": ["mandelbrot"], "ratio": "release·c·1 / release·c·all", "atLeast": 1.6 }"#
    let file = try GateFile.parse(Fixtures.Gate.gateFile(gate), path: "g.json")
    let busy = [Fixtures.Gate.cell(.c, [1, 1, 1, 1, 1]), Fixtures.Gate.cell(.c, threads: 2, [1, 1, 1, 1, 1], preemptions: 250)]
    var evaluator = GateEvaluator(
      checks: file.checks(cores: 2, haveBaseline: false), remeasure: 0,
      cells: Dictionary(uniqueKeysWithValues: busy.map { ($0.id, $0) }))
    let outcome = evaluator.evaluate { _ in [] }[0]
    #expect(outcome.verdict == .inconclusive)
    #expect(outcome.reason?.contains("preempted release·c·2's threads 250 times a second") == true)
    // On a quiet machine the same ratio is a failure.
    evaluator.cells[busy[1].id]?.preemptionsPerSecond = 30
    #expect(evaluator.evaluate { _ in [] }[0].verdict == .fail)
  }

  @Test func failingScalingWithScatteredTimesIsInconclusive() throws {
    let gate = #"{ "name": "cores", "kernels": ["mandelbrot"], "ratio": "release·c·1 / release·c·all", "atLeast": 1.6 }"#
    let file = try GateFile.parse(Fixtures.Gate.gateFile(gate), path: "g.json")
    // Few preemptions, but one sample in five took twice as long: the cores were not ours.
    let scattered = [Fixtures.Gate.cell(.c, [1, 1, 1, 1, 1]), Fixtures.Gate.cell(.c, threads: 2, [1, 1, 1, 2, 1], preemptions: 15)]
    var evaluator = GateEvaluator(
      checks: file.checks(cores: 2, haveBaseline: false), remeasure: 0,
      cells: Dictionary(uniqueKeysWithValues: scattered.map { ($0.id, $0) }))
    let outcome = evaluator.evaluate { _ in [] }[0]
    #expect(outcome.verdict == .inconclusive)
    #expect(outcome.reason?.contains("release·c·2's times scattered") == true)
    // Slow and steady is a real regression: it fails.
    evaluator.cells[scattered[1].id] = Fixtures.Gate.cell(.c, threads: 2, [1, 1, 1, 1, 1], preemptions: 15)
    #expect(evaluator.evaluate { _ in [] }[0].verdict == .fail)
  }

  @Test func aFailedCellFailsItsGate() throws {
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: [1, 1, 1], c: [1, 1, 1])
    let id = CellID(kernel: "mandelbrot", flavour: .c, build: .release, threads: 1)
    evaluator.cells[id]?.verification = CellVerification(.mismatch, "wrong answer")
    let outcome = evaluator.evaluate { _ in [] }[0]
    #expect(outcome.verdict == .fail)
    #expect(outcome.reason == "cell mandelbrot/release/c/1 failed: wrong answer")
  }

  @Test func oneThreadCellsAreComparedOnCPUTimeByDefault() throws {
    var evaluator = try Self.evaluator(bound: #""atMost": 1.15"#, unsafe: [1, 1, 1], c: [1, 1, 1])
    // Wall time doubled by time-slicing, CPU time unchanged: auto passes, wall fails.
    let id = CellID(kernel: "mandelbrot", flavour: .unsafe, build: .release, threads: 1)
    evaluator.cells[id]?.samples = [2, 2, 2]
    #expect(evaluator.judge(evaluator.checks[0]).verdict == .pass)
    evaluator.clock = .wall
    #expect(evaluator.judge(evaluator.checks[0]).verdict == .fail)
  }

  // MARK: - Baselines

  @Test func provenanceDifferences() {
    #expect(GateCommand.provenanceDifference(Fixtures.Gate.here, Fixtures.Gate.here) == nil)
    var other = Fixtures.Gate.here
    other.cpu = "Intel Xeon"
    #expect(GateCommand.provenanceDifference(other, Fixtures.Gate.here) == "CPU model differs (baseline 'Intel Xeon', here 'AMD EPYC')")
    other = Fixtures.Gate.here
    other.cores = 8
    #expect(GateCommand.provenanceDifference(other, Fixtures.Gate.here)?.hasPrefix("core count differs (baseline 8, here 2)") == true)
    other = Fixtures.Gate.here
    other.builds[0].cFlags = "-O3 -march=native"
    #expect(GateCommand.provenanceDifference(other, Fixtures.Gate.here)?.contains("build flags differ") == true)
    // Date, commit and OS may differ: that is what a baseline is for.
    other = Fixtures.Gate.here
    other.date = "2027-01-01T00:00:00Z"
    other.os = "Linux 7"
    #expect(GateCommand.provenanceDifference(other, Fixtures.Gate.here) == nil)
  }

  // MARK: - The slowdown injector

  @Test func slowdownParses() throws {
    #expect(try Slowdown.parse("mandelbrot/unsafe=1.25") == Slowdown(kernel: "mandelbrot", flavour: .unsafe, factor: 1.25))
    let options = try parsed(["gate", "--inject-slowdown", "nbody/c=2", "--strict"], as: Command.Gate.self).options
    #expect(options.slowdowns == [Slowdown(kernel: "nbody", flavour: .c, factor: 2)])
    #expect(options.strict)
    let run = try parsed(["--inject-slowdown=sieve/idiomatic=1.5"], as: Command.Run.self).plan
    #expect(run.slowdowns.map(\.description) == ["sieve/idiomatic=1.5"])
    let sent = try WorkerRequest.measure(run.measureRequest(for: .release, kernels: run.sizedKernels())).line()
    guard case .measure(let request) = try WorkerRequest.decode(sent) else {
      Issue.record("not a measure request")
      return
    }
    #expect(request.slowdowns == run.slowdowns)
  }

  @Test(arguments: [
    ("mandelbrot/unsafe", "has no '=FACTOR'"), ("mandelbrot=2", "does not name KERNEL/FLAVOUR"),
    ("nope/c=2", "unknown kernel 'nope'"), ("nbody/rust=2", "unknown flavour 'rust'"),
    ("nbody/c=0.5", "is not a number in 1...100"), ("nbody/c=fast", "is not a number"), ("nbody/c=1000", "1...100"),
  ])
  func badSlowdownIsAUsageError(text: String, message: String) {
    for arguments in [["--inject-slowdown", text], ["gate", "--inject-slowdown", text]] {
      do {
        _ = try Command.parse(arguments)
        Issue.record("parsed \(arguments)")
      } catch let error as UsageError {
        #expect(error.message.contains(message), "\(error.message)")
      } catch {
        Issue.record("\(error)")
      }
    }
  }

  /// Counts runs; does no work.
  final class CountingWorkload: Workload {
    var runs = 0
    func run(on executor: any ParallelExecutor) { runs += 1 }
    func result() -> KernelResult { KernelResult(text: "\(runs)", checksum: UInt64(runs), values: []) }
  }

  @Test(arguments: [(1.25, 4), (1.5, 2), (2.0, 1), (1.1, 10), (3.0, 1), (1.0, 1)])
  func slowedWorkloadDoesExactlyFactorTimesTheRuns(factor: Double, period: Int) {
    let inner = CountingWorkload()
    let slowed = SlowedWorkload(inner, factor: factor)
    #expect(slowed.period == period)
    let calls = 40 * period
    for _ in 0..<calls { slowed.run(on: SequentialExecutor()) }
    #expect(inner.runs == Int((Double(calls) * factor).rounded()))
    // Within a sample of whole periods, started with startSample(), the work is exact.
    inner.runs = 0
    slowed.run(on: SequentialExecutor())  // leaves a fraction owed
    slowed.startSample()
    inner.runs = 0
    for _ in 0..<period { slowed.run(on: SequentialExecutor()) }
    #expect(inner.runs == Int((Double(period) * factor).rounded()))
  }

  // MARK: - The gate end to end, and its outputs

  @Test func gateOptionErrors() {
    #expect(throws: UsageError.self) { try Command.parse(["gate", "--summary", "/nonexistent-folder/s.md"]) }
    #expect(throws: UsageError.self) { try Command.parse(["gate", "--kernels", "mandelbrot"]) }
    #expect(throws: UsageError.self) { try Command.parse(["gate", "--strict=yes"]) }
    let same = FileManager.default.temporaryDirectory.appendingPathComponent("speedladder-\(UUID().uuidString).md").path
    #expect(
      throws: UsageError(
        "--summary and --json name the same file '\(same)': writing --summary would replace the other output; give different files")
    ) {
      try Command.parse(["gate", "--summary", same, "--json", same])
    }
  }
}
