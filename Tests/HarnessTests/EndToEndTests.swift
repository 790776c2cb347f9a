import Foundation
import KernelKit
import Kernels
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

/// The real binary at `tiny` size in its own (debug) build: no child build.
@Suite("End to end", .serialized)
struct EndToEndTests {
  static let smoke = ["--builds", "debug", "--size", "tiny", "--samples", "2", "--min-time", "2"]

  /// mandelbrot's flavours in a default debug run (the Swift vector flavour is left out there).
  static let debugFlavours = kernel(named: "mandelbrot")!.flavours.filter(RunPlan().flavours(in: .debug).contains)

  @Test func tinyRunVerifiesEveryCellAndWritesJSON() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("results.json").path
    let outcome = try runBenchmark(Self.smoke + ["--kernels", "mandelbrot", "--threads", "1,2", "--output", path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("debug·idiomatic·1"))
    #expect(outcome.standardOutput.contains("Provenance"))
    // Only the results file: the temporary file was renamed into place.
    #expect(contents(of: folder) == ["results.json"])

    let results = try RunResults.decode(Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(results.schemaVersion == RunResults.currentSchemaVersion)
    #expect(results.cells.count == Self.debugFlavours.count * 2)
    for cell in results.cells {
      #expect(cell.verification.passed, "\(cell.id): \(cell.verification.detail)")
      #expect(cell.samples.count == 2)
      #expect(cell.statistics?.median ?? 0 > 0)
      #expect(cell.result == results.cells[0].result)
    }
    #expect(results.provenance.builds.map(\.build) == [.debug])
  }

  /// A cell that crashes is FAIL, the others are still measured, exit status 1.
  @Test func crashingCellFailsAloneAndTheRunGoesOn() throws {
    let outcome = try runBenchmark(
      Self.smoke + ["--kernels", "mandelbrot", "--threads", "1", "--format", "json"],
      environment: ["SPEEDLADDER_CRASH_CELL": "mandelbrot/debug/unsafe/1"])
    #expect(outcome.status == 1)
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    let crashed = results.cells.filter(\.failed)
    #expect(crashed.map(\.id.description) == ["mandelbrot/debug/unsafe/1"])
    #expect(crashed.first?.verification.status == .crashed)
    #expect(results.cells.filter { !$0.failed }.count == Self.debugFlavours.count - 1)
    #expect(outcome.standardError.contains("FAIL"))
  }

  @Test func formatsCarryTheSameCells() throws {
    let outcome = try runBenchmark(Self.smoke + ["--kernels", "mandelbrot", "--threads", "1", "--format", "csv"])
    #expect(outcome.status == 0)
    let lines = outcome.standardOutput.split(separator: "\n")
    #expect(lines.first?.hasPrefix("kernel,size,build,flavour,threads,status") == true)
    #expect(lines.count == 1 + Self.debugFlavours.count)
  }
}
