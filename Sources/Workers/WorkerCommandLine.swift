// The one entry of every worker process: `benchmark-worker worker`, or
// `benchmark worker` (the same, in the command-line binary, for runs whose
// only binary is that one). The job arrives on standard input as one
// `WorkerRequest` (WorkerProtocol), never as options to parse.

import Foundation
import MeasurementKit
import ProcessKit
import WorkerProtocol

package enum WorkerCommandLine {
  static let usage = """
    usage: benchmark-worker worker < REQUEST
    (reads one WorkerRequest, a line of JSON, on standard input: started by `benchmark run` for the builds it compiles; not meant to be run by hand)
    """

  /// Runs `arguments` (without the program name) and returns the exit status.
  package static func main(_ arguments: [String]) -> Int32 {
    unblockInterruptSignals()
    guard arguments == ["worker"] else {
      writeStandardError(usage + "\n")
      return ExitStatus.usage
    }
    return serve()
  }

  /// Reads the request on standard input and runs it: the worker's exit
  /// status, or 2 and one `error:` line for a request that is not one.
  package static func serve() -> Int32 {
    do {
      switch try WorkerRequest.receive() {
      case .measure(let request): return Worker.main(request)
      case .chunks(let job): return ChunksWorker.main(job)
      case .blas(let job): return BLASWorker.main(job)
      }
    } catch {
      return reportedExitStatus(error)
    }
  }
}
