// Running other programs: swift build, git, and the worker processes.

import Foundation

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

// MARK: - Descriptors

/// How many file descriptors starting a child needs. Foundation's `Process`
/// fails to start one ("Bad file descriptor", EBADF) when the limit is below
/// about 256 (on Linux it starts children at 253, not at 250), and `Pipe()`
/// traps when no descriptor is left; so a low `ulimit -n` would fail every
/// cell with a message that does not say why, or crash.
package enum DescriptorLimit {
  package static let needed = 256

  /// Raises the soft limit to `needed` where the hard limit allows (children
  /// inherit it); otherwise throws the one line that names the cause.
  package static func ensure() throws {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(needed) else { return }
    if limit.rlim_max >= rlim_t(needed) {  // RLIM_INFINITY is the largest value
      limit.rlim_cur = rlim_t(needed)
      if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 { return }
    }
    throw UsageError(
      "too few file descriptors: the limit (ulimit -n) is \(limit.rlim_cur), and starting a worker or any other child process needs \(needed); raise it with `ulimit -n \(needed)`")
  }
}

// MARK: - Children

/// Runs `executable` (a path, or a name looked up on PATH) and waits for it.
/// Standard error is captured, or with `passStandardError` copied to ours as
/// it comes (workers show their own progress) and only its end captured.
/// Standard input is `input` (a worker's request), or empty.
package func runProcess(
  _ executable: String, _ arguments: [String], directory: URL? = nil, input: Data? = nil,
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
  try DescriptorLimit.ensure()
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let inputPipe = input.map(InputPipe.init)
  process.standardInput = inputPipe?.pipe ?? FileHandle.nullDevice
  if passStandardError, isatty(STDERR_FILENO) == 1 {
    // Its standard error is our pipe now; its progress still goes to a terminal.
    process.environment = (process.environment ?? ProcessInfo.processInfo.environment)
      .merging([ProgressLine.terminalVariable: "1"]) { $1 }
  }
  try process.run()
  Interruption.waiting(for: process.processIdentifier)
  defer { Interruption.finishedWaiting() }
  inputPipe?.finish()
  defer { inputPipe?.waitUntilWritten() }
  // Drain standard error on another thread so a chatty child cannot block on
  // a full pipe. Passed through, it is copied to ours as it comes, and its
  // end kept: a child that dies outside its work (a worker out of memory)
  // said why there.
  let errorText = ErrorCollector()
  let group = DispatchGroup()
  DispatchQueue.global().async(group: group) {
    let reader = err.fileHandleForReading
    guard passStandardError else {
      errorText.set(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self))
      return
    }
    var tail = Data()
    while case let chunk = reader.availableData, !chunk.isEmpty {
      _ = writeAll(STDERR_FILENO, chunk)
      tail.append(chunk)
      if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
    }
    errorText.set(String(decoding: tail, as: UTF8.self))
  }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  group.wait()
  return ProcessOutput(
    status: process.terminationStatus,
    signalled: process.terminationReason == .uncaughtSignal,
    standardOutput: data, standardError: errorText.value)
}

/// A child's standard input that holds `data` (a worker's request).
///
/// As much as the pipe takes (64 KiB on Linux: every request but one of
/// thousands of cells) is written before the child starts, while this process
/// still holds the reading end: that write can neither block nor meet a child
/// that has died, whose SIGPIPE would end this process. The rest, if any, is
/// written once the child runs, by a thread of its own with SIGPIPE blocked:
/// a child that dies unread ends that write with EPIPE, and the signal, left
/// pending on the thread, ends with it.
private final class InputPipe: @unchecked Sendable {
  let pipe = Pipe()
  /// What did not fit before the start; written only by the thread `finish` starts.
  private let rest: Data
  private let written = DispatchSemaphore(value: 0)

  init(_ data: Data) {
    let fd = pipe.fileHandleForWriting.fileDescriptor
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    var at = 0
    while at < data.count {
      let n = data.withUnsafeBytes { write(fd, $0.baseAddress! + at, $0.count - at) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }  // full (EAGAIN): the rest goes once the child reads
      at += n
    }
    _ = fcntl(fd, F_SETFL, flags)
    rest = data.dropFirst(at)
  }

  /// After the child has started: writes the rest, then closes, so the child reads end of file.
  func finish() {
    guard !rest.isEmpty else {
      try? pipe.fileHandleForWriting.close()
      written.signal()
      return
    }
    Thread.detachNewThread { [self] in
      var pipeSignal = sigset_t()
      sigemptyset(&pipeSignal)
      sigaddset(&pipeSignal, SIGPIPE)
      pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
      _ = writeAll(pipe.fileHandleForWriting.fileDescriptor, rest)
      try? pipe.fileHandleForWriting.close()
      written.signal()
    }
  }

  /// Once the child has exited, the writing thread is done or about to be (EPIPE).
  func waitUntilWritten() { written.wait() }
}

/// Runs a command for a one-line answer (`git rev-parse HEAD`); nil if it fails.
package func commandOutput(_ executable: String, _ arguments: [String], directory: URL? = nil) -> String? {
  guard case .answered(let text) = probe(executable, arguments, directory: directory) else { return nil }
  return text
}

/// What asking a command for a one-line answer gave.
package enum ProbeOutcome: Equatable {
  /// It ran and succeeded: its output, trimmed.
  case answered(String)
  /// It ran and failed with this exit status (127 from /usr/bin/env: not on PATH).
  case failed(Int32)
  /// It could not be started (no descriptors, no memory): nothing is known
  /// about the command itself.
  case notStarted(String)
}

/// Runs a command for a one-line answer, telling a command that failed from
/// one that could not be started, so that provenance does not turn "could
/// not start a process" into "no swift on PATH".
package func probe(_ executable: String, _ arguments: [String], directory: URL? = nil) -> ProbeOutcome {
  let output: ProcessOutput
  do {
    output = try runProcess(executable, arguments, directory: directory)
  } catch {
    return .notStarted("\(error)")
  }
  guard output.succeeded else { return .failed(output.signalled ? 128 + output.status : output.status) }
  return .answered(output.text.trimmingCharacters(in: .whitespacesAndNewlines))
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
  try DescriptorLimit.ensure()
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
