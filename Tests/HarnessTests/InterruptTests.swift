// Interrupting `benchmark run --backend processes`: its worker, whose parent
// is gone, exits quietly (no Swift crash trace) and leaves no process behind.

import Foundation
import KernelKit
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
    let process = Process()
    process.executableURL = benchmarkBinary
    process.arguments = [
      "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c", "--threads", "2",
      "--size", "tiny", "--samples", "1", "--min-time", "1", "--backend", "processes", "--time-limit", "2",
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(
      ["SPEEDLADDER_HANG_CHUNK": "0", "TMPDIR": folder.path]) { $1 }
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Standard error stays open as long as any worker process holds it: read it to the end.
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData = err.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
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
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(drained.wait(timeout: .now() + 60) == .success, "standard error still open: a process survived")
    let text = String(decoding: errorData, as: UTF8.self)
    #expect(!text.contains("Fatal error"), "\(text)")
    #expect(!text.contains("Broken pipe"), "\(text)")
    let all = [worker!] + chunks
    var running = all
    for _ in 0..<200 where !running.isEmpty {
      usleep(50_000)
      running = running.filter(isRunning)
    }
    #expect(running.isEmpty, "still running: \(running)")
  }
}
