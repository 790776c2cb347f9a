// Files read back through the built binary: `compare` and `gate` refuse bad
// times and an interrupted run's file in one line (exit 2).

import Foundation
import Kernels
import TestSupport
import Testing
@testable import Gates
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Input validation: the binary")
struct InputValidationRunTests {
  /// The cases end to end: no "-nan×" or "inf×", exit 2.
  @Test func compareAndGateRefuseBadTimesWithExitTwo() throws {
    for name in ["zero-medians.json", "negative-medians.json", "huge-medians.json"] {
      let path = Fixtures.InputValidation.corpusFile("results", name)
      let compared = try runBenchmark(["compare", Fixtures.InputValidation.corpusFile("results", "tiny-run.json"), path])
      #expect(compared.status == ExitStatus.usage, "\(compared.standardError)")
      #expect(!compared.standardOutput.contains("nan") && !compared.standardOutput.contains("inf×"))
      let gated = try runBenchmark(["gate", "--baseline", Fixtures.InputValidation.corpusFile("baseline", name)])
      #expect(gated.status == ExitStatus.usage, "\(gated.standardError)")
      #expect(gated.standardError.split(separator: "\n").count == 1, "\(gated.standardError)")
    }
  }

  @Test func anIncompleteFileIsNamedAndRefusedAsABaseline() throws {
    let incomplete = Fixtures.InputValidation.corpusFile("results", "incomplete.json")
    let compared = try runBenchmark(["compare", incomplete, Fixtures.InputValidation.corpusFile("results", "tiny-run.json"), "--force"])
    #expect(compared.status == ExitStatus.success, "\(compared.standardError)")
    #expect(compared.standardError.contains("'\(incomplete)' is marked incomplete (an interrupted run)"), "\(compared.standardError)")
    #expect(throws: UsageError.self) { try GateCommand.loadBaseline(Fixtures.InputValidation.corpusFile("baseline", "incomplete.json")) }
    #expect(try RunResults.load(Fixtures.InputValidation.corpusFile("results", "tiny-run.json"), catalogue: catalogue).incomplete == nil)
  }
}
