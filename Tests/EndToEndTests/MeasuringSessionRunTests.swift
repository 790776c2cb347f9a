// Two runs of the built binary at once: the lock file between them, each said in one line.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Measuring session: two runs")
struct MeasuringSessionRunTests {
  static let run = [
    "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c", "--threads", "1,2",
    "--size", "tiny", "--samples", "1", "--min-time", "1", "--backend", "processes",
  ]

  /// A run alone takes the lock, and neither its worker nor the worker's
  /// processes (all started by it) take it for another run's.
  @Test func aRunAloneDoesNotTripOverItsOwnWorkers() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let outcome = try runBenchmark(Self.run, environment: ["TMPDIR": folder.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(!outcome.standardError.contains("WARNING"), "\(outcome.standardError)")
    #expect(outcome.standardError.hasSuffix("2 cells verified: all against a reference\n"), "\(outcome.standardError)")
    let path = folder.appendingPathComponent("speedladder-measuring.lock").path
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(written.hasPrefix("pid ") && written.contains("`benchmark --builds"))
    #expect(MeasuringLock(path: path, describing: "after")?.isHeld == true)  // released at exit
  }

  /// While another run holds the lock (here this test, as a run would), a
  /// run warns at its start and its end, and leaves its name for the holder.
  @Test func aRunWhileAnotherMeasuresWarnsAndIsNamedToTheOther() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("speedladder-measuring.lock").path
    let holder = try #require(MeasuringLock(path: path, describing: "pid 1, `the test`, since 10:00:00 UTC"))
    #expect(holder.isHeld)
    let outcome = try runBenchmark(Self.run, environment: ["TMPDIR": folder.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let warnings = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("WARNING") }
    #expect(warnings.count == 2, "\(outcome.standardError)")
    #expect(warnings.first?.hasPrefix("WARNING: another SpeedLadder run is measuring on this machine (pid 1, `the test`") == true)
    #expect(warnings.last?.hasPrefix("WARNING: another SpeedLadder run was measuring while this one did (pid 1") == true)
    #expect(holder.contenders.count == 1)
    #expect(holder.contenders.first?.contains("`benchmark --builds") == true)
  }
}
