// Running other programs: swift build, git, and the worker processes.

import Foundation
import KernelKit

/// What a finished child process left behind.
package struct ProcessOutput {
  package var status: Int32
  /// True when the child was killed by a signal (`status` is then the signal).
  package var signalled: Bool
  package var standardOutput: Data
  package var standardError: String

  package init(status: Int32, signalled: Bool, standardOutput: Data, standardError: String) {
    self.status = status
    self.signalled = signalled
    self.standardOutput = standardOutput
    self.standardError = standardError
  }

  package var succeeded: Bool { !signalled && status == 0 }
  package var text: String { String(decoding: standardOutput, as: UTF8.self) }
}

/// Runs `executable` (a path, or a name looked up on PATH) and waits for it.
/// Standard error is captured unless `passStandardError` lets the child write
/// to ours (workers show their own progress).
package func runProcess(
  _ executable: String, _ arguments: [String], directory: URL? = nil,
  passStandardError: Bool = false, environment: [String: String] = [:]
) throws -> ProcessOutput {
  let process = Process()
  if !environment.isEmpty {
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  }
  if executable.contains("/") {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
  } else {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
  }
  if let directory { process.currentDirectoryURL = directory }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = passStandardError ? FileHandle.standardError : err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  Interruption.waiting(for: process.processIdentifier)
  defer { Interruption.finishedWaiting() }
  // Drain standard error on another thread so a chatty child cannot block on a full pipe.
  let errorText = ErrorCollector()
  let group = DispatchGroup()
  if !passStandardError {
    DispatchQueue.global().async(group: group) {
      errorText.set(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
  }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  group.wait()
  return ProcessOutput(
    status: process.terminationStatus,
    signalled: process.terminationReason == .uncaughtSignal,
    standardOutput: data, standardError: errorText.value)
}

/// Runs a command for a one-line answer (`git rev-parse HEAD`); nil if it fails.
package func commandOutput(_ executable: String, _ arguments: [String], directory: URL? = nil) -> String? {
  guard let output = try? runProcess(executable, arguments, directory: directory), output.succeeded
  else { return nil }
  return output.text.trimmingCharacters(in: .whitespacesAndNewlines)
}

private final class ErrorCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""
  func set(_ value: String) { lock.withLock { text = value } }
  var value: String { lock.withLock { text } }
}

/// Runs `executable` with its standard output and error merged into one
/// stream, calling `line` with each line as it arrives (a build's progress),
/// and returns everything it wrote as `standardOutput`.
package func runProcess(
  _ executable: String, _ arguments: [String], eachLine line: (String) -> Void
) throws -> ProcessOutput {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [executable] + arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  process.standardInput = FileHandle.nullDevice
  try process.run()
  Interruption.waiting(for: process.processIdentifier)
  defer { Interruption.finishedWaiting() }
  var all = Data()
  var pending = Data()
  let reader = pipe.fileHandleForReading
  while case let chunk = reader.availableData, !chunk.isEmpty {
    all.append(chunk)
    pending.append(chunk)
    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
      line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
      pending.removeSubrange(pending.startIndex...newline)
    }
  }
  if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
  process.waitUntilExit()
  return ProcessOutput(
    status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
    standardOutput: all, standardError: "")
}
