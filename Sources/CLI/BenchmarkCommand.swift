// The `benchmark` command: parse → run → exit status. Kept thin; the
// subcommands are in Command.swift, each in its own file.

import Foundation
import MeasurementKit
import ProcessKit

package enum BenchmarkCommand {
  /// Runs the command line `arguments` (without the program name) and
  /// returns the exit status (`ExitStatus`): 0 fine, 1 a cell failed, 2 bad
  /// usage, 3 inconclusive gates with `--strict`, 4 a file could not be written.
  package static func main(_ arguments: [String]) -> Int32 {
    unblockInterruptSignals()
    defer { MeasuringSession.shared.finish() }  // the lock and the machine's load, if anything was measured
    do {
      let command = try Command.parse(arguments)
      // Every subcommand a user runs: 130/143 on SIGINT/SIGTERM, no
      // half-written file, and a closed standard output stops the printing,
      // not the run. The hidden workers keep their own signal handling.
      if !type(of: command).isHidden { Interruption.install() }
      let status = try command.run()
      return Interruption.requested ? Interruption.exitStatus : status
    } catch {
      if Interruption.requested, !(error is WriteError) {
        writeStandardError("interrupted\n")
        return Interruption.exitStatus
      }
      return reportedExitStatus(error)
    }
  }
}
