// Resource limits through the built binary: too few file descriptors is one
// line naming the cause (or the soft limit is raised); an unusable lock folder is said.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Resource limits: the binary")
struct ResourceLimitRunTests {
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

  /// Hard limits of 8 (the trap) and 20 (a failure per cell): one line, exit 2, nothing measured.
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
}
