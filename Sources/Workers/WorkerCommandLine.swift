// `benchmark-worker`'s command line: the two hidden subcommands of `benchmark`
// that a worker process needs, `worker PLAN` and `chunks`, without the rest.

import Foundation
import MeasurementKit

package enum WorkerCommandLine {
  static let usage = """
    usage: benchmark-worker worker PLAN
           benchmark-worker chunks --kernel K --flavour F --size N --worker I --of N
    (started by `benchmark run` for the builds it compiles; not meant to be run by hand)
    """

  /// Runs `arguments` (without the program name) and returns the exit status.
  package static func main(_ arguments: [String]) -> Int32 {
    unblockInterruptSignals()
    do {
      switch arguments.first {
      case "worker" where arguments.count == 2:
        return try Worker.main(RunPlan.decodeWorkerPlan(arguments[1]))
      case "chunks":
        return ChunksWorker.main(try ChunkJob(options: chunksOptions(arguments.dropFirst())))
      default:
        writeStandardError(usage + "\n")
        return ExitStatus.usage
      }
    } catch {
      return reportedExitStatus(error)
    }
  }

  /// `--name value` pairs, each name one `ChunkJob` reads, none twice.
  static func chunksOptions(_ arguments: ArraySlice<String>) throws(UsageError) -> [String: String] {
    var given: [String: String] = [:]
    var rest = arguments
    while let name = rest.popFirst() {
      guard ChunkJob.optionNames.contains(name), given[name] == nil, let value = rest.popFirst() else {
        throw UsageError("chunks: unexpected '\(name)'; it takes \(ChunkJob.optionNames.joined(separator: ", ")), each once with a value")
      }
      given[name] = value
    }
    return given
  }
}
