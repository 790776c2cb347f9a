// Progress on standard error: a rewritten status line on a terminal, phase lines otherwise.

import Foundation

/// Writes progress to standard error. On a terminal each `update` rewrites one
/// status line; elsewhere (CI logs, pipes) only `phase` lines are written.
final class Progress {
  private let isTerminal: Bool
  private let enabled: Bool
  private var lineShown = false

  init(enabled: Bool = true) {
    self.enabled = enabled
    isTerminal = isatty(STDERR_FILENO) == 1
  }

  /// A step worth a line of its own: "building release…".
  func phase(_ message: String) {
    guard enabled else { return }
    clear()
    writeStandardError(message + "\n")
  }

  /// The cell being worked on; shown only on a terminal.
  func update(_ message: String) {
    guard enabled, isTerminal else { return }
    writeStandardError("\r\u{1B}[K" + message)
    lineShown = true
  }

  /// Removes the status line.
  func done() { clear() }

  private func clear() {
    if lineShown {
      writeStandardError("\r\u{1B}[K")
      lineShown = false
    }
  }
}

func writeStandardError(_ text: String) {
  FileHandle.standardError.write(Data(text.utf8))
}

func writeStandardOutput(_ text: String) {
  FileHandle.standardOutput.write(Data(text.utf8))
}
