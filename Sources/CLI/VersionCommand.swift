// `benchmark version`, `--version`.

import Foundation
import MeasurementKit
import ProcessKit

extension Command {
  struct Version: Subcommand {
    static let name = "version"
    static let abstract = "The version (also `benchmark --version`)."

    func run() throws -> Int32 {
      writeStandardOutput("SpeedLadder \(speedLadderVersion)\n")
      return ExitStatus.success
    }
  }
}
