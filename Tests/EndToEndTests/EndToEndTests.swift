import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit
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

  /// Kernel by kernel: each kernel's ladder is printed (in catalogue order,
  /// whatever order --kernels gives) before the next kernel is measured, and
  /// the summary comes last. Standard output and error share one pipe here,
  /// so their order is the order things happened.
  @Test func eachKernelsLadderComesAsSoonAsItIsMeasured() throws {
    let process = Process()
    process.executableURL = benchmarkBinary
    process.arguments = Self.smoke + ["--kernels", "nqueens,mandelbrot", "--threads", "1"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    func at(_ needle: String) -> String.Index? { text.range(of: needle)?.lowerBound }
    // The table's header, not the lock's warning about another SpeedLadder run measuring beside this one.
    let header = try #require(at("SpeedLadder \(speedLadderVersion) · size"))
    let mandelbrot = try #require(at("mandelbrot —"))
    let nqueens = try #require(at("nqueens —"))
    let summary = try #require(at("How the steps compound"))
    let sampling = text.ranges(of: "sampling ").map(\.lowerBound)
    try #require(sampling.count == 2, "\(text)")  // one worker per kernel
    #expect(sampling[0] < header && header < mandelbrot)
    #expect(mandelbrot < sampling[1] && sampling[1] < nqueens)
    #expect(nqueens < summary)
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

  // MARK: - Conventions (issue 16)

  /// The smallest real run: one kernel, the C flavour, one thread, one sample.
  static let oneCell = [
    "--builds", "debug", "--size", "tiny", "--samples", "1", "--min-time", "2", "--flavours", "c", "--threads", "1",
  ]

  /// `--output -` is standard output: the results alone (no table), and no file named `-`.
  @Test func outputDashWritesTheResultsToStandardOutput() throws {
    let dash = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("-").path
    #expect(!FileManager.default.fileExists(atPath: dash))
    let outcome = try runBenchmark(Self.oneCell + ["--kernels", "mandelbrot", "--format", "json", "--output", "-"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    #expect(results.cells.map(\.id.description) == ["mandelbrot/debug/c/1"])
    #expect(!outcome.standardError.contains("wrote"))
    #expect(!FileManager.default.fileExists(atPath: dash))
  }

  /// Kernels print in `benchmark list`'s order, whatever order --kernels names them in
  /// (nbody comes before fannkuch-redux in the catalogue, after it alphabetically).
  @Test func kernelsPrintInCatalogueOrder() throws {
    let outcome = try runBenchmark(Self.oneCell + ["--kernels", "fannkuch-redux,nbody", "--format", "csv"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let kernels = outcome.standardOutput.split(separator: "\n").dropFirst().map { $0.prefix { $0 != "," } }
    #expect(kernels == ["nbody", "fannkuch-redux"])
    #expect(catalogue.rank(of: "nbody") < catalogue.rank(of: "fannkuch-redux"))
  }

  /// One sample is "1 sample", in the table's header and in the progress lines.
  @Test func oneSampleIsSingular() throws {
    let outcome = try runBenchmark(Self.oneCell + ["--kernels", "mandelbrot"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("· 1 sample of ≥"))
    #expect(outcome.standardError.contains("calibrating 1 cell\n"))
    #expect(!(outcome.standardOutput + outcome.standardError).contains("1 samples"))
  }

  /// On a terminal the status line is rewritten with `\r ESC[K`, except with
  /// `TERM=dumb` or no `TERM`, and never when the output is not a terminal.
  @Test func dumbTerminalGetsNoStatusLine() {
    #expect(ProgressLine.rewritesLine(isTerminal: true, term: "xterm-256color"))
    #expect(!ProgressLine.rewritesLine(isTerminal: true, term: "dumb"))
    #expect(!ProgressLine.rewritesLine(isTerminal: true, term: nil))
    #expect(!ProgressLine.rewritesLine(isTerminal: false, term: "xterm"))
  }

  #if os(Linux)
    /// The same through the built binary on a real pseudo-terminal, under
    /// `script(1)`; the `TERM=xterm` run is the control showing the probe sees
    /// the status line. Without util-linux's `script` the test is skipped, and
    /// the skip is recorded in the test report (not a silent pass).
    @Test(
      .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
        "needs /usr/bin/script (util-linux) for a pseudo-terminal"))
    func dumbTerminalGetsNoStatusLineOnARealTerminal() throws {
      func underTerminal(_ term: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([benchmarkBinary.path] + Self.oneCell + ["--kernels", "mandelbrot"]).joined(separator: " ")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TERM": term]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
      }
      #expect(try underTerminal("xterm").contains("\u{1B}[K"))
      let dumb = try underTerminal("dumb")
      #expect(dumb.contains("mandelbrot"))
      #expect(!dumb.contains("\u{1B}[K"))
    }
  #endif
}
