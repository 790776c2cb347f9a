// What a measuring worker answers: one `WorkerEvent` a line on its standard output.

import Foundation
import MeasurementKit

/// One line a worker writes to standard output (JSON Lines).
package enum WorkerEvent: Codable {
  /// The worker's build, first.
  case build(BuildInfo)
  /// Before each run of a cell's kernel: if the worker dies, this cell is the culprit.
  case running(CellID)
  /// A finished cell.
  case cell(CellResult)
}
