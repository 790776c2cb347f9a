// The `benchmark` command: parse → run → exit status. Kept thin; the
// subcommands are in Command.swift, each in its own file.

import Foundation
import MeasurementKit

package enum BenchmarkCommand {
  /// Runs the command line `arguments` (without the program name) and
  /// returns the exit status (`ExitStatus`): 0 fine, 1 a cell failed, 2 bad
  /// usage, 3 inconclusive gates with `--strict`, 4 a file could not be written.
  package static func main(_ arguments: [String]) -> Int32 {
    unblockInterruptSignals()
    defer { MeasuringSession.shared.finish() }  // the lock and the machine's load, if anything was measured
    do {
      return try Command.parse(arguments).run()
    } catch {
      return reportedExitStatus(error)
    }
  }
}
