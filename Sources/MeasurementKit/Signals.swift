// Ctrl-C and SIGTERM must reach `benchmark`, however it was started.

import Foundation
import KernelKit

import Synchronization

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

/// Ctrl-C or SIGTERM while `benchmark` runs its children (`swift build`,
/// workers, Python rungs): the handler only records it and stops the child
/// being waited for, so that the run can keep, print and write what it had
/// finished, and exit 130.
package enum Interruption {
  /// The signal received, 0 for none.
  private static let signal = Atomic<Int32>(0)
  /// The child `runProcess` is waiting for, 0 for none.
  private static let child = Atomic<Int32>(0)
  private static let installed = Atomic<Bool>(false)

  /// Whether SIGINT or SIGTERM arrived.
  package static var requested: Bool { signal.load(ordering: .sequentiallyConsistent) != 0 }

  /// The exit status an interrupted run ends with: 128 + the signal (130 for Ctrl-C).
  package static var exitStatus: Int32 { 128 + signal.load(ordering: .sequentiallyConsistent) }

  /// Installs the handlers (once). The first signal is recorded and stops
  /// the current child with SIGTERM; a second one stops this process at once.
  /// The handler uses atomics, kill(2) and _exit(2) only: it is
  /// async-signal-safe. Caught signals revert to their default action in a
  /// child at exec, so workers still die of a Ctrl-C of their own.
  package static func install() {
    _ = signal.load(ordering: .relaxed)  // the statics exist before any handler reads them
    _ = child.load(ordering: .relaxed)
    guard installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
    else { return }
    // SA_RESTART: a read or wait the signal lands in (a worker's output,
    // a test's pipe) resumes instead of failing with EINTR, which
    // FileHandle turns into a trap; the loops notice `requested` themselves.
    // (`signal(2)` promises that too, but not under every interposer: the
    // thread sanitizer's gave EINTR.)
    let handler: @convention(c) (Int32) -> Void = { sig in
      let pid = Interruption.child.load(ordering: .sequentiallyConsistent)
      guard Interruption.signal.exchange(sig, ordering: .sequentiallyConsistent) == 0 else {
        if pid > 0 { kill(pid, SIGKILL) }
        _exit(128 + sig)
      }
      if pid > 0 { kill(pid, SIGTERM) }
    }
    for sig in [SIGINT, SIGTERM] {
      #if canImport(Glibc)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(sig, &action, nil)
      #else
        _ = signal(sig, handler)
      #endif
    }
  }

  /// Records `pid` as the child being waited for, and stops it at once if
  /// the signal came while it was starting.
  static func waiting(for pid: pid_t) {
    child.store(pid, ordering: .sequentiallyConsistent)
    if requested { kill(pid, SIGTERM) }
  }

  static func finishedWaiting() { child.store(0, ordering: .sequentiallyConsistent) }
}

/// What a measurement throws when it was interrupted.
package struct Interrupted: Error { package init() {} }
