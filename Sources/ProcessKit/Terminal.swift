// Progress on standard error: a rewritten status line on a terminal, phase lines otherwise.

import Foundation
import Synchronization

/// Writes progress to standard error. On a terminal each `update` rewrites one
/// status line; elsewhere (CI logs, pipes, `TERM=dumb`) only `phase` lines are written.
package final class ProgressLine {
  private let isTerminal: Bool
  private let enabled: Bool
  private var lineShown = false

  package init(enabled: Bool = true) {
    self.enabled = enabled
    let environment = ProcessInfo.processInfo.environment
    isTerminal = Self.rewritesLine(
      isTerminal: isatty(STDERR_FILENO) == 1 || environment[Self.terminalVariable] == "1", term: environment["TERM"])
  }

  /// Set by a parent that copies a child's standard error to its own
  /// terminal (`runProcess(passStandardError:)`): the child's progress may
  /// rewrite its status line there, though its standard error is a pipe.
  package static let terminalVariable = "SPEEDLADDER_STDERR_IS_TERMINAL"

  /// Whether a status line may be rewritten with `\r` and `ESC [K`: only on a
  /// terminal that says what it is and is not `dumb` (Emacs's shell, some CI
  /// consoles), where those bytes would print as garbage.
  package static func rewritesLine(isTerminal: Bool, term: String?) -> Bool {
    guard isTerminal, let term, !term.isEmpty else { return false }
    return term != "dumb"
  }

  /// Whether `update` shows anything (a terminal); elsewhere only phases are written.
  package var showsStatusLine: Bool { enabled && isTerminal }

  /// A step worth a line of its own: "building release…".
  package func phase(_ message: String) {
    guard enabled else { return }
    clear()
    writeStandardError(message + "\n")
  }

  /// The cell being worked on; shown only on a terminal.
  package func update(_ message: String) {
    guard enabled, isTerminal else { return }
    writeStandardError("\r\u{1B}[K" + message)
    lineShown = true
  }

  /// Removes the status line.
  package func done() { clear() }

  private func clear() {
    if lineShown {
      writeStandardError("\r\u{1B}[K")
      lineShown = false
    }
  }
}

package func writeStandardError(_ text: String) {
  // write(2), not FileHandle.write: that traps on EPIPE, and a worker's
  // progress must not crash it when its parent has gone.
  _ = writeAll(STDERR_FILENO, Array(text.utf8))
}

/// Writes all of `bytes` to `descriptor` with write(2), unbuffered, retrying
/// after signals; false when the reader is gone (EPIPE) or the write fails.
/// Unlike `FileHandle.write`, it never traps.
package func writeAll(_ descriptor: Int32, _ bytes: some ContiguousBytes) -> Bool {
  writeFailure(descriptor, bytes) == nil
}

/// `writeAll`, saying why it stopped: errno's text, or that write(2) took
/// nothing; nil when everything was written.
package func writeFailure(_ descriptor: Int32, _ bytes: some ContiguousBytes) -> String? {
  bytes.withUnsafeBytes { buffer -> String? in
    var at = 0
    while at < buffer.count {
      let n = write(descriptor, buffer.baseAddress! + at, buffer.count - at)
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return String(cString: strerror(errno)) }
      if n == 0 { return "nothing could be written" }
      at += n
    }
    return nil
  }
}

/// Writes `text` to standard output with write(2). Once its reader is gone
/// (`benchmark … | head -1`: EPIPE, SIGPIPE being caught and ignored) printing
/// stops for the rest of the run, which goes on and still writes its files.
package func writeStandardOutput(_ text: String) {
  writeStandardOutput(Data(text.utf8))
}

/// `writeStandardOutput` for bytes (JSON).
package func writeStandardOutput(_ data: Data) {
  guard !StandardOutput.closed.load(ordering: .relaxed) else { return }
  if !writeAll(STDOUT_FILENO, data) { StandardOutput.closed.store(true, ordering: .relaxed) }
}

enum StandardOutput {
  /// Set when a write to standard output failed: nothing more is printed there.
  static let closed = Atomic<Bool>(false)
}
