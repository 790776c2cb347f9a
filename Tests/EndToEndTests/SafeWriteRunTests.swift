// Outputs that are one file, through the built binary: exit 2 before measuring.

import Foundation
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Writing files safely: the binary")
struct SafeWriteRunTests {
  /// The command lines of the issue, refused with exit 2 before measuring.
  @Test func sameFileCommandLinesExitTwoBeforeMeasuring() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("f.json").path
    let gates = folder.appendingPathComponent("gates.json").path
    try Data("{}".utf8).write(to: URL(fileURLWithPath: gates))
    let lines: [[String]] = [
      ["run", "--output", file, "--save-baseline", file, "--format", "csv"],
      ["gate", "--gates", gates, "--summary", gates],
      ["gate", "--gates", gates, "--baseline", file, "--json", file],
      ["report", "--from", folder.appendingPathComponent("index.html").path, "--out", folder.path],
    ]
    for line in lines {
      if line[0] == "report" {
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder.appendingPathComponent("index.html").path))
      }
      let outcome = try runBenchmark(line)
      #expect(outcome.status == ExitStatus.usage, "\(line): \(outcome.standardError)")
      #expect(outcome.standardError.split(separator: "\n").count == 1, "\(line): \(outcome.standardError)")
    }
    #expect(!FileManager.default.fileExists(atPath: file))
  }
}
