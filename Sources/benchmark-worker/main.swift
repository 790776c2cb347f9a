// `benchmark-worker`: the measuring half of `benchmark`. A run compiles only
// this product for the builds it starts workers in (release, native), which
// halves their compile time; see `Orchestrator.binary(for:product:location:)`.

import Foundation
import Workers

exit(WorkerCommandLine.main(Array(CommandLine.arguments.dropFirst())))
