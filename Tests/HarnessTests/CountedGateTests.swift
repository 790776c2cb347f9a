import CLI
import Foundation
import KernelKit
import Testing
@testable import Gates
@testable import MeasurementKit
@testable import ProcessKit
@testable import Workers

/// Instruction counts (`--measure instructions`): the callgrind parser on
/// recorded dumps, the refusals, counted gates' verdicts, and end to end under
/// valgrind at tiny size (recorded as skipped where valgrind is absent).
@Suite("Counted gates")
struct CountedGateTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpus/callgrind")

  // MARK: - Parsing callgrind's output

  @Test func parsesARecordedDump() throws {
    // Recorded from valgrind-3.19 with --dump-after: one call of the counted region.
    let text = try String(contentsOf: Self.corpus.appendingPathComponent("dump-ir.txt"), encoding: .utf8)
    #expect(try CallgrindOutput.parse(text) == ["Ir": 275_150])
  }

  @Test func parsesACacheSimulationAndEstimatesCycles() throws {
    // callgrind leaves trailing zero totals out: 9 events, 3 totals.
    let text = try String(contentsOf: Self.corpus.appendingPathComponent("dump-cache-sim.txt"), encoding: .utf8)
    let events = try CallgrindOutput.parse(text)
    #expect(events["Ir"] == 275_150 && events["Dr"] == 44 && events["Dw"] == 28 && events["DLmr"] == 0)
    // No misses: every access an L1 hit, cost 1 each.
    #expect(CallgrindOutput.estimatedCycles(events) == Double(275_150 + 44 + 28))
    let missing = try CallgrindOutput.parse("events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\ntotals: 100 10 10 1 2 3 1 1 1\n")
    // L1 hits 120 − 6 = 114, LL hits 6 − 3 = 3 (×5), memory 3 (×35).
    #expect(CallgrindOutput.estimatedCycles(missing) == Double(114 + 15 + 105))
    #expect(CallgrindOutput.estimatedCycles(["Ir": 5]) == nil)
  }

  @Test(arguments: [
    ("events: Ir\n", "no totals"),
    ("events: Ir\ntotals: 12x\n", "is not a count"),
    ("events: Ir\ntotals: 1 2 3\n", "3 totals for 1 events"),
    ("totals: 99999999999999999999999\n", "is not a count"),
  ])
  func rejectsMalformedDumpsInOneLine(_ input: String, _ expected: String) {
    #expect {
      try CallgrindOutput.parse(input)
    } throws: { error in
      let text = "\(error)"
      return text.contains(expected) && !text.contains("\n")
    }
  }

  @Test func formatsCountsAndSpreads() {
    #expect(formatCount(27_130_203) == "27,130,203")
    #expect(formatCount(999) == "999")
    #expect(formatSpread(0.000_123) == "0.0123%")
  }

  // MARK: - Refusals

  @Test func missingValgrindIsOneLineNamingThePackage() {
    #expect {
      try Valgrind.find(environment: [Valgrind.environmentKey: "/nonexistent/valgrind"])
    } throws: { error in
      "\(error)".contains("apt-get install valgrind")
    }
    #expect(throws: UsageError.self) { try Valgrind.find(environment: ["PATH": "/nonexistent"]) }
  }

  @Test func aNativeCountIsRefusedOnlyWhereTheCPUHasAVX512() {
    #expect(Valgrind.refusal(for: .native, cpuFlags: ["avx2", "avx512f"])?.contains("AVX-512") == true)
    #expect(Valgrind.refusal(for: .native, cpuFlags: ["avx2", "fma"]) == nil)
    #expect(Valgrind.refusal(for: .release, cpuFlags: ["avx512f"]) == nil)
  }

  @Test func valgrindsFirstErrorLineIsFound() {
    let stderr = """
      [release] counting 1/2
      vex amd64->IR: unhandled instruction bytes: 0x62 0xF1 0x7D 0x48
      ==4242== valgrind: Unrecognised instruction at address 0x10a3c0.
      ==4242== Your program just tried to execute an instruction that Valgrind
      """
    #expect(Valgrind.firstErrorLine(stderr) == "vex amd64->IR: unhandled instruction bytes: 0x62 0xF1 0x7D 0x48")
    #expect(Valgrind.firstErrorLine("==7== Valgrind: debuginfo reader: ensure_valid failed:\n") == "Valgrind: debuginfo reader: ensure_valid failed:")
    #expect(Valgrind.firstErrorLine("just a progress line\n") == nil)
  }

  // MARK: - The gates file and verdicts

  static func cell(_ flavour: Flavour, _ counts: [Double]) -> CellResult {
    CellResult(
      id: CellID(kernel: "mandelbrot", flavour: flavour, build: .release, threads: 1), size: 1, runsPerSample: 1,
      samples: [], cpuSamples: [], statistics: nil, setupSeconds: 0, result: nil,
      verification: CellVerification(.reference, "ok"), notes: [], instructions: counts)
  }

  static func countedChecks(_ measure: String, atMost: Double) throws -> [GateCheck] {
    let file = try GateFile.parse(
      Data(#"{ "gates": [{ "name": "n", "kernels": ["mandelbrot"], "ratio": "release·unsafe·1 / release·c·1", "atMost": \#(atMost), "measure": "\#(measure)" }] }"#.utf8),
      path: "g.json")
    return file.checks(cores: 2, haveBaseline: false)
  }

  @Test func measureBothIsTwoVerdictsOnTheSameCells() throws {
    let checks = try Self.countedChecks("both", atMost: 1.1)
    #expect(checks.map(\.counted) == [false, true])
    #expect(checks[0].cells == checks[1].cells)
    #expect(try Self.countedChecks("instructions", atMost: 1.1).map(\.counted) == [true])
  }

  @Test func aCountedGateRefusesMultiThreadRungsAndUnknownMeasures() {
    #expect {
      try GateFile.parse(
        Data(#"{ "gates": [{ "name": "n", "kernels": ["mandelbrot"], "ratio": "release·c·1 / release·c·all", "atLeast": 1.1, "measure": "instructions" }] }"#.utf8),
        path: "g.json")
    } throws: { "\($0)".contains("one-thread cells") }
    #expect {
      try GateFile.parse(
        Data(#"{ "gates": [{ "name": "n", "kernels": ["mandelbrot"], "ratio": "release·unsafe·1 / release·c·1", "atMost": 1.1, "measure": "cycles" }] }"#.utf8),
        path: "g.json")
    } throws: { "\($0)".contains("\"measure\" must be") }
  }

  @Test func countRatiosPassFailAndNeverReMeasure() throws {
    let check = try #require(try Self.countedChecks("instructions", atMost: 1.015).first)
    func verdict(_ unsafe: [Double]) -> GateOutcome {
      var evaluator = GateEvaluator(checks: [check], remeasure: 3, cells: [:])
      evaluator.counts = [
        check.terms[0].numerator.id: Self.cell(.unsafe, unsafe), check.terms[0].denominator.id: Self.cell(.c, [1_000_000, 1_000_000]),
      ]
      let outcomes = evaluator.evaluate { _ in
        Issue.record("a counted check was measured again")
        return []
      }
      return outcomes[0]
    }
    // Unchanged (1.0064×, as mandelbrot measures) passes; 2% more work fails at once.
    #expect(verdict([1_006_400, 1_006_400]).verdict == .pass)
    let slowed = verdict([1_026_528, 1_026_528])
    #expect(slowed.verdict == .fail && slowed.measurements == 1)
    #expect(slowed.ratio?.text == "1.0265× (1.0255–1.0276)")
    // Straddling (the band is the spread plus 0.1%): inconclusive, not measured again.
    #expect(verdict([1_014_500, 1_014_600]).verdict == .inconclusive)
  }

  @Test func aCellWithoutCountsFailsItsGate() throws {
    let check = try #require(try Self.countedChecks("instructions", atMost: 1.1).first)
    var evaluator = GateEvaluator(checks: [check], remeasure: 0, cells: [:])
    var crashed = Self.cell(.unsafe, [])
    crashed.instructions = nil
    crashed.verification = CellVerification(.crashed, "the release worker died (exit status 1, valgrind: Valgrind: I can't recover.)")
    evaluator.counts = [check.terms[0].numerator.id: crashed, check.terms[0].denominator.id: Self.cell(.c, [1])]
    let outcome = evaluator.judge(check)
    #expect(outcome.verdict == .fail)
    #expect(outcome.reason?.contains("I can't recover") == true)
  }

  // MARK: - Work injection

  @Test func injectionsParse() throws {
    #expect(try WorkInjection.parse("mandelbrot/unsafe=+2%").kind == .loop(0.02))
    #expect(try WorkInjection.parse("triad/c=5%").kind == .loop(0.05))
    #expect(try WorkInjection.parse("triad/unsafe=scattered-pass").kind == .pass(scattered: true))
    for bad in ["mandelbrot/unsafe", "mandelbrot=+2%", "nope/unsafe=+2%", "mandelbrot/rust=+2%", "mandelbrot/unsafe=2", "mandelbrot/unsafe=-1%"] {
      #expect(throws: UsageError.self) { try WorkInjection.parse(bad) }
    }
  }

  @Test func aPassDoesTheSameStepsInEitherOrder() {
    // Same instructions either way; only the addresses differ (the sum is over other words).
    let words = (0..<1024).map(UInt32.init)
    words.withUnsafeBufferPointer { buffer in
      #expect(InjectedWorkload.walk(buffer, steps: 4, stride: 1) == (0 + 1 + 2 + 3, 4))
      // (1200 & 1023) = 176, and the next walk goes on at (776 & 1023) = 776.
      #expect(InjectedWorkload.walk(buffer, steps: 3, stride: 600) == (0 + 600 + 176, 776))
      #expect(InjectedWorkload.walk(buffer, steps: 2, stride: 1, from: 1023) == (1023 + 0, 1))
    }
  }
}
