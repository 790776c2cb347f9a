// Ctrl-C and SIGTERM must reach `benchmark`, however it was started.

import Foundation
import KernelKit
import Kernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Unblocks SIGINT and SIGTERM on the calling (main) thread, before any other
/// thread starts. A process started by Foundation's `Process` (a CI runner, a
/// test, another Swift tool) inherits its starter's signal mask, in which both
/// are blocked: such a `benchmark run` ignored an interrupt and measured on
/// to the end. Threads started later inherit the unblocked mask.
package func unblockInterruptSignals() {
  var signals = sigset_t()
  sigemptyset(&signals)
  sigaddset(&signals, SIGINT)
  sigaddset(&signals, SIGTERM)
  sigprocmask(SIG_UNBLOCK, &signals, nil)
}
