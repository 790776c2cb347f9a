// Signals in every subcommand: SIGINT exits 130 and SIGTERM 143, no file is
// left half-written (temporary files removed, a report never passed off as
// whole), a second Ctrl-C stops at once and says so, and a closed standard
// output stops the printing, never the run's file output.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Signals")
struct SignalTests {
  static let corpusRun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpus/results/tiny-run.json")

  /// Waits until `condition` holds (up to a minute); false if it never did.
  static func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<1200 {
      if condition() { return true }
      usleep(50_000)
    }
    return false
  }

  /// `report` interrupted while it measures: no report at all (one of part
  /// of a run would look whole), exit 130, and it says so.
  @Test func aReportInterruptedWhileMeasuringWritesNone() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("report")
    let (process, standardError) = try InterruptTests.start(
      [
        "report", "--out", out.path, "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c",
        "--threads", "1", "--size", "quick", "--samples", "2", "--min-time", "1",
      ], folder: folder)
    try #require(Self.eventually { !childPids(of: process.processIdentifier).isEmpty }, "no worker started")
    kill(process.processIdentifier, SIGINT)
    try waitForExit(process)
    let errors = try #require(standardError.read())
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(errors)")
    #expect(errors.contains("interrupted: no report written"), "\(errors)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
  }

  /// A file written in place (a FIFO with no reader blocks its opening):
  /// the first signal stops the command at once, says what it was writing,
  /// and leaves no temporary file; the report's index.html is not written.
  @Test(
    .disabled(if: signalsAreDeferred != nil, Comment(rawValue: signalsAreDeferred ?? "")),
    arguments: [SIGINT, SIGTERM])
  func aWriteBlockedOnAFIFOStopsAtTheFirstSignal(signal: Int32) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("report")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let fifo = out.appendingPathComponent("report.md").path
    try #require(mkfifo(fifo, 0o600) == 0)
    let (process, standardError) = try InterruptTests.start(
      ["report", "--from", Self.corpusRun.path, "--out", out.path], folder: folder)
    // The SVGs come first; then it waits for report.md's reader.
    try #require(Self.eventually { contents(of: out).contains { $0.hasSuffix(".svg") } && process.isRunning })
    usleep(200_000)
    kill(process.processIdentifier, signal)
    try waitForExit(process)
    let errors = try #require(standardError.read())
    #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal, "\(errors)")
    #expect(errors.contains("interrupted: stopped while writing \(fifo) in place"), "\(errors)")
    let left = contents(of: out)
    #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    #expect(!left.contains("index.html"), "\(left)")
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  /// A one-cell run (nqueens · c, this build) writing `output`, returned once
  /// its worker has started, so a signal arrives while it measures.
  static func startMeasuring(writing output: URL, folder: URL) throws -> (Process, InterruptTests.StandardError) {
    let (process, standardError) = try InterruptTests.start(
      [
        "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c", "--threads", "1",
        "--size", "quick", "--samples", "2", "--min-time", "1", "--output", output.path,
      ], folder: folder)
    try #require(Self.eventually { !childPids(of: process.processIdentifier).isEmpty }, "no worker started")
    return (process, standardError)
  }

  /// One signal delivered twice at once (as `timeout` does: to the process,
  /// then to its group) is one interrupt: the run keeps what it finished.
  @Test func aSignalDeliveredTwiceAtOnceIsOneInterrupt() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("run.json")
    let (process, standardError) = try Self.startMeasuring(writing: output, folder: folder)
    kill(process.processIdentifier, SIGINT)
    kill(process.processIdentifier, SIGINT)
    try waitForExit(process)
    let errors = try #require(standardError.read())
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(errors)")
    #expect(!errors.contains("interrupted again"), "\(errors)")
    #expect(try RunResults.decode(Data(contentsOf: output)).incomplete == true)
  }

  /// Two Ctrl-Cs in a row while a run measures: exit 130, no temporary file,
  /// and either the kept cells written whole or a line saying it stopped at once.
  @Test func aSecondInterruptLeavesNoHalfFileAndSaysSo() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("run.json")
    let (process, standardError) = try Self.startMeasuring(writing: output, folder: folder)
    kill(process.processIdentifier, SIGINT)
    usleep(150_000)  // a second Ctrl-C, not the first delivered twice (Interruption's 100 ms)
    kill(process.processIdentifier, SIGINT)
    try waitForExit(process)
    let errors = try #require(standardError.read())
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(errors)")
    let left = contents(of: folder).filter { $0.contains("run.json") }
    #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    if FileManager.default.fileExists(atPath: output.path) {
      #expect(try RunResults.decode(Data(contentsOf: output)).incomplete == true)
    } else {
      #expect(errors.contains("interrupted again: stopped at once"), "\(errors)")
    }
  }

  /// The handler's clean-up, in this process: the temporary file being
  /// written is removed, and nothing else.
  @Test func stoppingAtOnceRemovesTheTemporaryFileBeingWritten() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let temporary = folder.appendingPathComponent(".r.json.1.tmp").path
    let kept = folder.appendingPathComponent("r.json").path
    try Data("half".utf8).write(to: URL(fileURLWithPath: temporary))
    try Data("whole".utf8).write(to: URL(fileURLWithPath: kept))
    PendingFile.prepare()
    PendingFile.begin(temporary: temporary, target: kept)
    PendingFile.abandon(again: true)
    #expect(contents(of: folder) == ["r.json"])
    PendingFile.abandon(again: true)  // nothing pending: removes nothing
    #expect(contents(of: folder) == ["r.json"])
  }

  /// `benchmark … --output r.json | head -1`: the reader of standard output
  /// is gone before anything is printed; the run goes on and writes r.json.
  @Test func aClosedStandardOutputNeverLosesTheFile() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("r.json")
    let process = Process()
    process.executableURL = benchmarkBinary
    process.arguments = [
      "--builds", Build.current.rawValue, "--kernels", "mandelbrot", "--flavours", "c", "--threads", "1",
      "--size", "tiny", "--samples", "1", "--min-time", "1", "--output", output.path,
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": folder.path]) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try out.fileHandleForReading.close()
    try waitForExit(process)
    #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    let results = try RunResults.decode(Data(contentsOf: output))
    #expect(results.cells.count == 1 && results.incomplete == nil)
  }
}
