// Resource limits: too few file descriptors is one line naming the cause
// (or the soft limit is raised), never a trap or a failure per cell; a probe
// that could not start is "unknown", not a false fact; a worker that dies
// outside any cell is reported with what it said.

import Foundation
import KernelKit
import Testing
@testable import MeasurementKit
@testable import Orchestration

@Suite("Resource limits")
struct ResourceLimitTests {
  /// `benchmark ARGUMENTS` under `ulimit LIMIT` (a shell sets it, then execs).
  static func underLimit(_ limit: String, _ arguments: [String]) throws -> Outcome {
    let quoted = ([benchmarkBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let shell = URL(fileURLWithPath: "/bin/sh")
    let process = Process()
    process.executableURL = shell
    process.arguments = ["-c", "ulimit \(limit) && exec \(quoted)"]
    let out = Pipe()
    let err = Pipe()
    (process.standardOutput, process.standardError, process.standardInput) = (out, err, FileHandle.nullDevice)
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    group.wait()
    return Outcome(
      status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self))
  }

  static let tinyRun = [
    "--builds", Build.current.rawValue, "--kernels", "mandelbrot", "--flavours", "c", "--threads", "1",
    "--size", "tiny", "--samples", "1", "--min-time", "1",
  ]

  /// Hard limits of 8 (the issue's trap) and 20 (a failure per cell): one line, exit 2, nothing measured.
  @Test(arguments: ["8", "20"])
  func tooFewDescriptorsIsOneLineNamingTheCause(limit: String) throws {
    let outcome = try Self.underLimit("-n \(limit)", Self.tinyRun)
    #expect(outcome.status == ExitStatus.usage, "\(outcome.standardError)")
    #expect(outcome.standardError.contains("too few file descriptors: the limit (ulimit -n) is \(limit)"), "\(outcome.standardError)")
    #expect(outcome.standardError.contains("needs \(DescriptorLimit.needed)"))
    #expect(!outcome.standardError.contains("Bad file descriptor") && !outcome.standardError.contains("Backtrac"))
    #expect(outcome.standardOutput.isEmpty)
  }

  /// A low soft limit under a high hard one is raised: the run measures.
  @Test func aLowSoftLimitIsRaised() throws {
    let outcome = try Self.underLimit("-S -n 64", Self.tinyRun)
    #expect(outcome.status == ExitStatus.success, "\(outcome.standardError)")
    #expect(outcome.standardError.contains("1 cell verified"), "\(outcome.standardError)")
    #expect(!outcome.standardOutput.contains("no swift on PATH"))
  }

  /// An unusable TMPDIR: the lock cannot be taken, and the run says so
  /// (another run measuring at once would go unnoticed), then measures.
  @Test func anUnusableLockFolderIsSaid() throws {
    let outcome = try runBenchmark(Self.tinyRun, environment: ["TMPDIR": "/nonexistent-speedladder-folder"])
    #expect(outcome.status == ExitStatus.success, "\(outcome.standardError)")
    #expect(
      outcome.standardError.contains(
        "warning: cannot open the measuring lock /nonexistent-speedladder-folder/speedladder-measuring.lock"),
      "\(outcome.standardError)")
  }

  @Test func aProbeThatCannotStartIsNotAFalseFact() {
    if case .notStarted = probe("/nonexistent/speedladder-probe", []) {} else { Issue.record("started") }
    #expect(probe("sh", ["-c", "exit 3"]) == .failed(3))
    #expect(probe("sh", ["-c", "echo ' yes '"]) == .answered("yes"))
    #expect(commandOutput("sh", ["-c", "exit 1"]) == nil)
  }

  @Test func aWorkerThatCannotStartIsReportedInWords() {
    let memory = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOMEM))
    #expect(describeStartFailure(memory) == "Cannot allocate memory (errno \(ENOMEM))")
    #expect(describeStartFailure(UsageError("too few file descriptors: …")) == "too few file descriptors: …")
  }

  @Test func aWorkerThatDiesOutsideACellIsReportedWithWhatItSaid() {
    let said = "[release] measuring the machine's limits…\nFatal error: cannot allocate 536870912 bytes\nCurrent stack trace:\n"
    #expect(Orchestrator.lastWords(said) == "Fatal error: cannot allocate 536870912 bytes")
    #expect(Orchestrator.lastWords("first\r\u{1B}[Ksecond\n") == "second")
    #expect(Orchestrator.lastWords("\n \n") == nil)
  }
}
