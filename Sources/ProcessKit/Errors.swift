// What can go wrong, by kind: each kind has its own exit status (README, "Exit status").

import Foundation

/// A command line that cannot be run: one line naming the problem and the
/// valid choices. Exit status 2; nothing is measured or written.
package struct UsageError: Error, Equatable, CustomStringConvertible {
  package var message: String
  /// A line break inside what the message quotes (an argument, a key of a
  /// gates file) is written as its escape, `\n`, so the message stays one line.
  package init(_ message: String) {
    self.message =
      message.contains(where: \.isNewline)
      ? message.map { $0.isNewline ? String(String($0).debugDescription.dropFirst().dropLast()) : String($0) }
        .joined()
      : message
  }
  package var description: String { message }
}

/// A file that could not be written after the measuring was done: the run's
/// results are not lost from the terminal, but the file named is missing.
/// Exit status 4 (`ExitStatus.writeFailed`).
package struct WriteError: Error, Equatable, CustomStringConvertible {
  package var path: String
  package var reason: String
  package init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  package var description: String { "cannot write '\(path)': \(reason)" }
}

/// The exit statuses every subcommand uses.
package enum ExitStatus {
  /// Every cell verified (gate: no gate failed).
  package static let success: Int32 = 0
  /// A cell failed: a wrong answer or a crash (gate: a gate failed).
  package static let cellFailed: Int32 = 1
  /// Bad usage or a bad input file: nothing was measured or written.
  package static let usage: Int32 = 2
  /// `gate --strict`: a gate was inconclusive.
  package static let inconclusive: Int32 = 3
  /// The measuring finished but a results or report file could not be written.
  package static let writeFailed: Int32 = 4
  /// The process backend's chunk workers only: the parent went away (its
  /// pipes closed), so no one is left to read this status.
  package static let parentGone: Int32 = 3
}

/// Writes `error` to standard error as one `error:` line and returns its exit
/// status: 2 bad usage, 4 a file not written, 1 anything else.
package func reportedExitStatus(_ error: any Error) -> Int32 {
  switch error {
  case let error as UsageError:
    writeStandardError("error: \(error.message)\n")
    return ExitStatus.usage
  case let error as WriteError:
    writeStandardError("error: \(error)\n")
    return ExitStatus.writeFailed
  default:
    writeStandardError("error: \(error)\n")
    return ExitStatus.cellFailed
  }
}
