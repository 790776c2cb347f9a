// The interpreted rungs through the built binary: missing interpreters are
// one line each and the run goes on.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Interpreted rungs: the binary")
struct InterpreterRunTests {
  /// Two kernels: the toolchain is looked at once a run, so each line comes once.
  @Test func missingInterpretersAreOneLineEachAndTheRunGoesOn() throws {
    let outcome = try runBenchmark(
      [
        "--interpreters", "--kernels", "nqueens,sieve", "--size", "tiny", "--builds", Build.current.rawValue,
        "--flavours", "c", "--threads", "1", "--samples", "1", "--min-time", "1", "--format", "json",
      ],
      environment: ["SPEEDLADDER_PYTHON": "/nonexistent/python3", "SPEEDLADDER_PYPY": "/nonexistent/pypy3"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let lines = outcome.standardError.split(separator: "\n")
    for line in [
      "SPEEDLADDER_PYTHON=/nonexistent/python3 is not an executable: no CPython rung",
      "no PyPy rung (apt-get install pypy3", "no Cython rung", "no mypyc rung (it runs under python3)",
      "no NumPy rung (it runs under python3)", "no Mojo rungs (rung.py drives them under python3)",
      "no Numba rungs (they run under python3)",
    ] {
      #expect(lines.filter { $0.contains(line) }.count == 1, "\(line)")
    }
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    #expect(results.cells.count == 2 && results.cells.allSatisfy(\.verification.passed))
    let interpreted = try #require(results.interpreted)
    #expect(Set(interpreted.map(\.id.implementation)) == Set(Implementation.python))
    #expect(interpreted.filter { !$0.skipped }.isEmpty)
    #expect(!results.anyFailed)
  }
}
