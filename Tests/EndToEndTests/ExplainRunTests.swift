// `benchmark explain` through the built binary: bad input, and a saved run explained without measuring.

import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Explain: the binary")
struct ExplainRunTests {
  static let badInputs: [([String], String)] = [
    (["explain", "nope"], "unknown kernel 'nope'"),
    (["explain", "--from"], "option '--from' needs a value"),
    (["explain", "--from", "/nonexistent/results.json"], "--from: cannot read"),
    (["explain", "--kernels", "nbody"], "unknown option '--kernels' for 'explain'"),
  ]

  @Test(arguments: badInputs)
  func badInputIsAUsageError(arguments: [String], message: String) throws {
    let outcome = try runBenchmark(arguments)
    #expect(outcome.status == 2)
    #expect(outcome.standardError.contains(message))
    #expect(outcome.standardOutput.isEmpty)
  }

  @Test func explainsASavedRunWithoutMeasuring() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("run.json")
    try Fixtures.Explain.results.json().write(to: file)
    let outcome = try runBenchmark(["explain", "mandelbrot", "--from", file.path])
    #expect(outcome.status == 0)
    #expect(outcome.standardOutput.contains("10.0× compiler"))
    #expect(outcome.standardError.isEmpty)  // nothing built, nothing measured

    let other = try runBenchmark(["explain", "nbody", "--from", file.path])
    #expect(other.status == 2)
    #expect(other.standardError.contains("has no cells of nbody"))

    try Data("not json".utf8).write(to: file)
    let broken = try runBenchmark(["explain", "--from", file.path])
    #expect(broken.status == 2)
    #expect(broken.standardError.contains("is not valid JSON"))
  }
}
