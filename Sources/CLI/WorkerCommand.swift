// `benchmark worker` (hidden): a worker process in the command-line binary,
// for runs whose only binary is this one (the debug build's cells, a debug
// run's process backend and BLAS rung). It reads its `WorkerRequest` on
// standard input, as `benchmark-worker worker` does: `WorkerCommandLine`
// is the one dispatcher of both.

import Foundation
import Workers

extension Command {
  struct Worker: Subcommand {
    static let name = "worker"
    static let abstract = "Internal: run the WorkerRequest on standard input (a run's worker process)."
    static let isHidden = true

    func run() throws -> Int32 { WorkerCommandLine.serve() }
  }
}
