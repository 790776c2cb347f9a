// Counted runs and gates end to end: the built binary under valgrind (or a
// stand-in for it), and its refusals.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Counted gates: the binary")
struct CountedGateRunTests {
  /// Why the end-to-end counted tests cannot run here, or nil when they can:
  /// valgrind is missing, or this build is sanitized (valgrind cannot run an
  /// address- or thread-sanitized binary, with its shadow memory, and
  /// `.ci/run` runs the tests under both). The tests take it as a condition
  /// trait, so a skip is recorded with its reason.
  static let cannotCount: String? = {
    guard (try? Valgrind.find()) != nil else { return "valgrind is not installed (apt-get install valgrind)" }
    return benchmarkSanitizer.map { "this build has the \($0) sanitizer, which valgrind cannot run" }
  }()

  /// Counts of triad's unsafe and C cells in the debug build (the test binary's
  /// own: nothing to build), tiny size.
  static func countedRun(_ folder: URL, name: String) throws -> [CellID: [Double]] {
    let output = folder.appendingPathComponent("\(name).json")
    let outcome = try runBenchmark([
      "run", "--measure", "instructions", "--builds", "debug", "--kernels", "triad", "--flavours", "unsafe,c",
      "--size", "tiny", "--output", output.path,
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let results = try RunResults.decode(try Data(contentsOf: output))
    return Dictionary(uniqueKeysWithValues: results.cells.compactMap { cell in cell.instructions.map { (cell.id, $0) } })
  }

  @Test(
    .timeLimit(.minutes(5)),
    .disabled(if: CountedGateRunTests.cannotCount != nil, Comment(rawValue: CountedGateRunTests.cannotCount ?? ""))
  )
  func aTinyCountedCellCountsTheSameTwiceAndTheGateCatchesTwoPercent() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try Self.countedRun(folder, name: "first")
    let second = try Self.countedRun(folder, name: "second")
    let unsafe = CellID(kernel: "triad", flavour: .unsafe, build: .debug, threads: 1)
    let c = CellID(kernel: "triad", flavour: .c, build: .debug, threads: 1)
    let (a, b) = (try #require(first[unsafe]), try #require(second[unsafe]))
    #expect(a.count == CountedSampling.defaultSamples)
    // Deterministic: within a run and between runs, to within 0.1%.
    let median = SampleStatistics.median(a)
    #expect(median > 0)
    #expect(abs(SampleStatistics.median(b) - median) / median < 0.001)
    #expect((a.max()! - a.min()!) / median < 0.001)

    // A count gate 1% above the measured ratio: unchanged passes, +2% work fails.
    let ratio = median / SampleStatistics.median(try #require(first[c]))
    let gates = folder.appendingPathComponent("gates.json")
    try Data(
      #"{ "size": "tiny", "gates": [{ "name": "counted", "kernels": ["triad"], "ratio": "debug·unsafe·1 / debug·c·1", "atMost": \#(ratio * 1.01), "measure": "instructions" }] }"#
        .utf8
    ).write(to: gates)
    let unchanged = try runBenchmark(["gate", "--gates", gates.path, "--measure", "instructions"])
    #expect(unchanged.status == 0, "\(unchanged.standardOutput)\(unchanged.standardError)")
    #expect(unchanged.standardOutput.contains("pass"))
    let slowed = try runBenchmark(["gate", "--gates", gates.path, "--measure", "instructions", "--inject-work", "triad/unsafe=+2%"])
    #expect(slowed.status == 1, "\(slowed.standardOutput)\(slowed.standardError)")
    #expect(slowed.standardOutput.contains("FAIL"))
  }

  @Test func noValgrindIsExit2WithTheLine() throws {
    let outcome = try runBenchmark(
      ["run", "--measure", "instructions", "--builds", "debug", "--kernels", "triad", "--size", "tiny"],
      environment: [Valgrind.environmentKey: "/nonexistent/valgrind"])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.contains("apt-get install valgrind"))
    #expect(outcome.standardError.split(separator: "\n").count == 1)
  }

  @Test(
    .disabled(if: CountedGateRunTests.cannotCount != nil, Comment(rawValue: CountedGateRunTests.cannotCount ?? "")),
    .enabled(if: Valgrind.cpuFlags().contains("avx512f"), "this CPU has no AVX-512: the refusal is tested on synthetic flags only")
  )
  func aNativeCountOnAnAVX512CPUIsExit2() throws {
    let outcome = try runBenchmark(["run", "--measure", "instructions", "--builds", "native", "--kernels", "triad", "--size", "tiny"])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.contains("AVX-512"))
  }

  /// valgrind refusing the binary (a stand-in that says so and exits 1): the
  /// counted gate fails with valgrind's first error line, never passes.
  @Test func valgrindRefusingTheBinaryFailsTheGate() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fake = folder.appendingPathComponent("valgrind")
    try Data("#!/bin/sh\necho '==99== valgrind: this binary is refused (a test stand-in)' >&2\nexit 1\n".utf8).write(to: fake)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    let gates = folder.appendingPathComponent("gates.json")
    try Data(
      #"{ "size": "tiny", "gates": [{ "name": "counted", "kernels": ["triad"], "ratio": "debug·unsafe·1 / debug·c·1", "atMost": 100, "measure": "instructions" }] }"#
        .utf8
    ).write(to: gates)
    let outcome = try runBenchmark(
      ["gate", "--gates", gates.path, "--measure", "instructions"], environment: [Valgrind.environmentKey: fake.path])
    #expect(outcome.status == 1, "\(outcome.standardOutput)\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("FAIL"))
    #expect(outcome.standardOutput.contains("this binary is refused"))
  }
}
