// The Mojo rungs through the built binary: a missing `mojo` skips them and the run goes on.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Mojo rungs: the binary")
struct MojoRungRunTests {
  @Test func missingMojoSkipsItsRungsAndTheRunGoesOn() throws {
    let outcome = try runBenchmark(
      [
        "--interpreters", "--kernels", "nqueens", "--size", "tiny", "--builds", Build.current.rawValue,
        "--flavours", "c", "--threads", "1", "--samples", "1", "--min-time", "1", "--format", "json",
      ],
      environment: ["SPEEDLADDER_MOJO": "/nonexistent/mojo", "SPEEDLADDER_PYTHON": "/nonexistent/python3"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    let mojo = try #require(results.interpreted).filter { $0.id.implementation == .mojo || $0.id.implementation == .mojoSIMD }
    #expect(!mojo.isEmpty && mojo.allSatisfy { $0.skipped && !$0.failed })
    #expect(!results.anyFailed)
  }
}
