// `benchmark-worker`'s command line: the two hidden subcommands of `benchmark`
// that a worker process needs, `worker PLAN` and `chunks`, without the rest.

import Foundation
import MeasurementKit

package enum WorkerCommandLine {
  static let usage = """
    usage: benchmark-worker worker PLAN
           benchmark-worker chunks --kernel K --flavour F --size N --worker I --of N
           benchmark-worker blas --library PATH --n N --threads LIST --samples N --min-time MS
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
      case "blas":
        return BLASWorker.main(try BLASJob(options: options(arguments.dropFirst(), names: BLASJob.optionNames)))
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
    try options(arguments, names: ChunkJob.optionNames, command: "chunks")
  }

  /// `--name value` pairs, each one of `names`, none twice.
  static func options(_ arguments: ArraySlice<String>, names: [String], command: String = "blas") throws(UsageError)
    -> [String: String]
  {
    var given: [String: String] = [:]
    var rest = arguments
    while let name = rest.popFirst() {
      guard names.contains(name), given[name] == nil, let value = rest.popFirst() else {
        throw UsageError("\(command): unexpected '\(name)'; it takes \(names.joined(separator: ", ")), each once with a value")
      }
      given[name] = value
    }
    return given
  }
}
