// A baseline missing cells, through the built binary: `benchmark gate` gives
// the one command that saves them, in one line.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Gate baseline advice: the binary")
struct GateBaselineAdviceRunTests {
  @Test func theGateCommandSaysItInOneLine() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (_, baseline) = try Fixtures.Gate.baselineFixture(folder, cpu: Provenance.here(packageRoot: nil).cpu)
    let gates = folder.appendingPathComponent("many.json").path
    try Data(Fixtures.GateBaselineAdvice.gates.utf8).write(to: URL(fileURLWithPath: gates))
    let outcome = try runBenchmark(["gate", "--gates", gates, "--baseline", baseline])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
    #expect(outcome.standardError.contains(
      "benchmark run --kernels mandelbrot,sieve,nqueens --flavours unsafe,c --builds \(Fixtures.GateBaselineAdvice.build) --threads 1 --size tiny --samples 3 --min-time 2 --save-baseline \(baseline)"))
  }
}
