// Interrupting `benchmark run`: it keeps the kernels it finished (printed,
// and written marked incomplete), stops its worker, leaves no process and no
// half-written file behind, and exits 128 + the signal (130 for Ctrl-C).

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Interrupted runs")
struct InterruptTests {
  /// The worker is made to wait on a hanging chunk process (a test hook) so
  /// the run is surely interrupted mid-cell; when the time limit cuts the
  /// chunk off, the worker reports the cell to a parent that is no longer
  /// there. Before the fix, that write trapped in FileHandle ("Fatal error: 'try!' … Broken pipe").
  @Test(arguments: [SIGINT, SIGTERM])
  func anInterruptedRunLeavesNoCrashAndNoProcess(signal: Int32) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (process, standardError) = try Self.start(
      [
        "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c", "--threads", "2",
        "--size", "tiny", "--samples", "1", "--min-time", "1", "--backend", "processes", "--time-limit", "2",
      ], folder: folder, environment: ["SPEEDLADDER_HANG_CHUNK": "0"])
    // The run's worker, and the worker's two chunk processes.
    var worker: pid_t?
    var chunks: [pid_t] = []
    for _ in 0..<1200 where chunks.count < 2 {
      usleep(50_000)
      worker = childPids(of: process.processIdentifier).first
      chunks = worker.map(childPids) ?? []
    }
    try #require(chunks.count == 2, "the chunk processes never started")
    kill(process.processIdentifier, signal)
    try waitForExit(process)
    #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal)
    let text = try #require(standardError.read(), "standard error still open: a process survived")
    #expect(!text.contains("Fatal error"), "\(text)")
    #expect(!text.contains("Broken pipe"), "\(text)")
    #expect(stillRunning([worker!] + chunks) == [], "still running")
  }

  /// SIGINT after the first kernel's ladder is printed, while the second
  /// kernel (a debug n-queens of 14, a long one) is measured.
  @Test func anInterruptedRunKeepsTheKernelsItFinished() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("run.json")
    let process = Process()
    process.executableURL = benchmarkBinary
    process.arguments = [
      "--builds", Build.current.rawValue, "--kernels", "nbody,nqueens", "--flavours", "idiomatic,c",
      "--threads", "1", "--size", "tiny,nqueens=14", "--samples", "1", "--min-time", "1", "--output", output.path,
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": folder.path]) { $1 }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData = err.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    // Standard output, as it comes: the first kernel's table, then (after the signal) the rest.
    var printed = Data()
    let reader = out.fileHandleForReading
    while !String(decoding: printed, as: UTF8.self).contains("nbody —") {
      let chunk = reader.availableData
      try #require(!chunk.isEmpty, "the run ended before printing nbody's ladder")
      printed.append(chunk)
    }
    usleep(300_000)  // into n-queens
    let workers = childPids(of: process.processIdentifier)
    try #require(!workers.isEmpty, "no worker measuring n-queens")
    kill(process.processIdentifier, SIGINT)
    printed.append(reader.readDataToEndOfFile())
    try waitForExit(process)
    #expect(drained.wait(timeout: .now() + 60) == .success)
    let text = String(decoding: printed, as: UTF8.self)
    let errors = String(decoding: errorData, as: UTF8.self)
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(errors)")
    #expect(text.contains("Interrupted: only the kernels above were measured"), "\(text)")
    #expect(!text.contains("nqueens —"))
    #expect(errors.contains("interrupted: 1 kernel of 2 measured"), "\(errors)")
    // The file is whole, marked incomplete, and holds nbody's cells only.
    let results = try RunResults.decode(try Data(contentsOf: output))
    #expect(results.incomplete == true)
    #expect(Set(results.cells.map(\.id.kernel)) == ["nbody"] && results.cells.count == 2)
    #expect(results.cells.allSatisfy { $0.verification.passed })
    // Nothing half-written beside it, and the worker is gone.
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") || $0.contains("run.json") }
    #expect(left == ["run.json"], "\(left)")
    #expect(stillRunning(workers) == [], "still running")
  }

  /// SIGINT while a gate's cells are measured: no verdict on part of them,
  /// no summary file, exit 130, no worker left.
  @Test func anInterruptedGateJudgesNothing() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let gates = folder.appendingPathComponent("gates.json")
    let summary = folder.appendingPathComponent("summary.md")
    let build = Build.current.rawValue
    let text = #"{ "size": "quick", "minTimeMilliseconds": 1, "samples": 2, "remeasure": 0, "gates": [ { "name": "q", "kernels": ["nqueens"], "ratio": "\#(build)·idiomatic·1 / \#(build)·c·1", "atLeast": 1 } ] }"#
    try Data(text.utf8).write(to: gates)
    // Quick size: the worker verifies for a second or more, so the signal surely comes while it measures.
    let (process, standardError) = try Self.start(["gate", "--gates", gates.path, "--summary", summary.path], folder: folder)
    var workers: [pid_t] = []
    for _ in 0..<1200 where workers.isEmpty {
      usleep(10_000)
      workers = childPids(of: process.processIdentifier)
    }
    try #require(!workers.isEmpty, "no worker started")
    kill(process.processIdentifier, SIGINT)
    try waitForExit(process)
    let errors = try #require(standardError.read())
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(errors)")
    #expect(errors.contains("interrupted: no gate judged, nothing written"), "\(errors)")
    #expect(!FileManager.default.fileExists(atPath: summary.path))
    #expect(stillRunning(workers) == [], "still running")
  }

  /// Standard error of a started run, read to its end on another thread: it
  /// stays open as long as any worker process holds it.
  struct StandardError {
    let drained: DispatchSemaphore
    let data: () -> Data
    /// The whole text, or nil if it is still open after a minute (a process survived).
    func read() -> String? {
      drained.wait(timeout: .now() + 60) == .success ? String(decoding: data(), as: UTF8.self) : nil
    }
  }

  /// Starts `benchmark ARGUMENTS` with its temporary files in `folder`, no
  /// standard input and standard output discarded.
  static func start(_ arguments: [String], folder: URL, environment: [String: String] = [:]) throws
    -> (Process, StandardError)
  {
    let process = Process()
    process.executableURL = benchmarkBinary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["TMPDIR": folder.path]) { $1 }) { $1 }
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData = err.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    return (process, StandardError(drained: drained, data: { errorData }))
  }
}
