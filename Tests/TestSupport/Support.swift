// Helpers for the harness and end-to-end tests: the built `benchmark` binary,
// launching it, and scratch folders.

import Foundation
import MeasurementKit
import ProcessKit

/// The `benchmark` executable SwiftPM built beside this test bundle.
package let benchmarkBinary: URL = {
  let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    ?? CommandLine.arguments[0]
  var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
  // On Darwin the runner lives inside a .xctest bundle; walk up to the products folder.
  while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("benchmark").path),
    folder.path != "/"
  {
    folder.deleteLastPathComponent()
  }
  return folder.appendingPathComponent("benchmark")
}()

/// The `benchmark-worker` executable beside it: what a run builds for its other builds.
package let workerBinary = benchmarkBinary.deletingLastPathComponent().appendingPathComponent("benchmark-worker")

package struct Outcome {
  package var status: Int32
  package var standardOutput: String
  package var standardError: String

  package init(status: Int32, standardOutput: String, standardError: String) {
    (self.status, self.standardOutput, self.standardError) = (status, standardOutput, standardError)
  }
}

/// Runs the benchmark binary (or `binary`) with `arguments` and waits for it;
/// its standard input is `input` (a worker's request), or empty.
///
/// An in-process test that runs the orchestrator takes the measuring lock in
/// `$TMPDIR` and sets `MeasuringLock.environmentKey` in this process, as a run
/// does for its workers; a launched run that inherits it keeps quiet about the
/// lock, as a worker does. One given a `TMPDIR` of its own has a lock of its
/// own, so it is not passed the variable: what it says about its lock does not
/// depend on which tests ran before it.
package func runBenchmark(
  _ arguments: [String], binary: URL = benchmarkBinary, input: Data? = nil, environment: [String: String] = [:]
) throws -> Outcome {
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  var inherited = ProcessInfo.processInfo.environment
  if environment["TMPDIR"] != nil { inherited[MeasuringLock.environmentKey] = nil }
  process.environment = inherited.merging(environment) { $1 }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = try input.map(standardInput) ?? FileHandle.nullDevice
  try process.run()
  let group = DispatchGroup()
  nonisolated(unsafe) var errorData = Data()
  DispatchQueue.global().async(group: group) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
  let outputData = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  group.wait()
  return Outcome(
    status: process.terminationStatus,
    standardOutput: String(decoding: outputData, as: UTF8.self),
    standardError: String(decoding: errorData, as: UTF8.self))
}

/// A pipe that already holds `data`, its writing end closed: written before
/// the child starts, while this process holds both ends, it can neither block
/// (the tests' requests are far below a pipe's capacity) nor meet a child that has died.
package func standardInput(_ data: Data) throws -> Pipe {
  let pipe = Pipe()
  try pipe.fileHandleForWriting.write(contentsOf: data)
  try pipe.fileHandleForWriting.close()
  return pipe
}

/// A fresh empty folder, removed by the caller with `cleanUp`.
package func scratchFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("speedladder-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

package func contents(of folder: URL) -> [String] {
  (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
}

/// The sanitizer the launched `benchmark` was built with (`.ci/run` runs the
/// tests under the thread and the address sanitizers), or nil.
package let benchmarkSanitizer: String? = {
  guard let binary = FileManager.default.contents(atPath: benchmarkBinary.path) else { return nil }
  // AddressSanitizer's runtime names `__tsan_init` among its strings, so it is
  // looked for first; a thread-sanitized binary has no `__asan_init`.
  if binary.range(of: Data("__asan_init".utf8)) != nil { return "address" }
  if binary.range(of: Data("__tsan_init".utf8)) != nil { return "thread" }
  return nil
}()

/// Why a test that signals a `benchmark` blocked in a system call cannot run in this build,
/// or nil when they can. The thread sanitizer runs a signal's handler only
/// when the signalled thread next enters a call it intercepts, so a process
/// blocked in a call it does not (opening a FIFO that has no reader) never
/// sees its SIGINT. These tests run in the plain `swift test` and under the
/// address sanitizer.
package let signalsAreDeferred: String? =
  benchmarkSanitizer == "thread" ? "the thread sanitizer defers signal handlers; run unsanitized and under ASan" : nil

/// Waits for `process` to exit, at most `seconds`. One still running then is
/// killed and the wait throws (a thrown error fails the test): a test that
/// waits on a child it signalled may fail, but it never hangs the suite.
/// (TestSupport is a plain target, built by `swift build` in every
/// configuration, so it reports through an error rather than `Testing`.)
package func waitForExit(_ process: Process, seconds: Double = 120) throws(StillRunning) {
  let deadline = Date().addingTimeInterval(seconds)
  while process.isRunning && Date() < deadline { usleep(20_000) }
  guard process.isRunning else { return process.waitUntilExit() }
  kill(process.processIdentifier, SIGKILL)
  process.waitUntilExit()
  throw StillRunning(pid: process.processIdentifier, seconds: seconds)
}

/// A child that had not exited when `waitForExit` gave up on it.
package struct StillRunning: Error, CustomStringConvertible {
  package var pid: Int32
  package var seconds: Double
  package var description: String { "pid \(pid) still running after \(Int(seconds)) s: killed" }
}
