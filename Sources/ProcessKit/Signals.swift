// Ctrl-C and SIGTERM must reach `benchmark`, however it was started.

import Foundation
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

/// Ctrl-C or SIGTERM while `benchmark` runs. A subcommand that can keep what
/// it finished (`run`, `gate`, `report` and `explain` while they measure, a
/// report folder being written) says so with `keepGoing()`: the handler then
/// only records the signal and stops the child being waited for, so that the
/// command can keep, print and write what it had finished, and exit 130.
/// Any other subcommand (`compare`, `concurrency`, `report --from` before it
/// writes) stops at once. Either way a file being written (`writeFile`) is
/// never left half-written: its temporary file is removed and the target left
/// as it was, and one line says so.
package enum Interruption {
  /// The signal received, 0 for none.
  private static let signal = Atomic<Int32>(0)
  /// The child `runProcess` is waiting for, 0 for none.
  private static let child = Atomic<Int32>(0)
  private static let installed = Atomic<Bool>(false)
  /// Whether the command keeps going after a first signal (see `keepGoing`).
  private static let cooperative = Atomic<Bool>(false)
  /// When the first signal arrived (CLOCK_MONOTONIC nanoseconds).
  private static let firstAt = Atomic<UInt64>(0)
  /// A second signal this soon after the first is the same one delivered
  /// twice (`timeout` signals the process and then its group; a terminal's
  /// Ctrl-C reaches every process of the group, and a parent may forward
  /// it), not a second Ctrl-C: no person presses twice in 100 ms.
  private static let echoNanoseconds: UInt64 = 100_000_000

  /// Monotonic nanoseconds; clock_gettime is async-signal-safe.
  private static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// Whether SIGINT or SIGTERM arrived.
  package static var requested: Bool { signal.load(ordering: .sequentiallyConsistent) != 0 }

  /// The exit status an interrupted run ends with: 128 + the signal (130 for Ctrl-C).
  package static var exitStatus: Int32 { 128 + signal.load(ordering: .sequentiallyConsistent) }

  /// Installs the handlers (once). The first signal is recorded and stops
  /// the current child with SIGTERM, and, unless the command called
  /// `keepGoing()`, this process too; a second one stops this process at
  /// once. The handler uses atomics, unlink(2), write(2), kill(2) and _exit(2)
  /// only: it is async-signal-safe. Caught signals revert to their default
  /// action in a child at exec, so workers still die of a Ctrl-C of their own.
  ///
  /// SIGPIPE gets a handler that does nothing (not SIG_IGN, which a child
  /// would inherit through exec): a closed standard output (`benchmark … |
  /// head -1`) then makes write(2) fail with EPIPE, printing stops
  /// (`writeStandardOutput`), and the run still writes its files.
  package static func install() {
    _ = signal.load(ordering: .relaxed)  // the statics exist before any handler reads them
    _ = child.load(ordering: .relaxed)
    _ = cooperative.load(ordering: .relaxed)
    _ = firstAt.load(ordering: .relaxed)
    PendingFile.prepare()
    guard installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
    else { return }
    // SA_RESTART: a read or wait the signal lands in (a worker's output,
    // a test's pipe) resumes instead of failing with EINTR, which
    // FileHandle turns into a trap; the loops notice `requested` themselves.
    // (`signal(2)` promises that too, but not under every interposer: the
    // thread sanitizer's gave EINTR.)
    let handler: @convention(c) (Int32) -> Void = { sig in
      let pid = Interruption.child.load(ordering: .sequentiallyConsistent)
      let now = Interruption.now()
      if Interruption.signal.load(ordering: .sequentiallyConsistent) == 0 {
        Interruption.firstAt.store(now, ordering: .sequentiallyConsistent)
      } else if now &- Interruption.firstAt.load(ordering: .sequentiallyConsistent) < Interruption.echoNanoseconds {
        return  // the first signal again
      }
      let again = Interruption.signal.exchange(sig, ordering: .sequentiallyConsistent) != 0
      // A device or pipe being written in place may block (a FIFO waiting
      // for its reader): the first signal stops it then too.
      if again || !Interruption.cooperative.load(ordering: .sequentiallyConsistent) || PendingFile.writingInPlace {
        if pid > 0 { kill(pid, again ? SIGKILL : SIGTERM) }
        PendingFile.abandon(again: again)
        _exit(128 + sig)
      }
      if pid > 0 { kill(pid, SIGTERM) }
    }
    let ignore: @convention(c) (Int32) -> Void = { _ in }
    for (sig, action) in [(SIGINT, handler), (SIGTERM, handler), (SIGPIPE, ignore)] {
      #if canImport(Glibc)
        var value = sigaction()
        value.__sigaction_handler.sa_handler = action
        value.sa_flags = SA_RESTART
        sigemptyset(&value.sa_mask)
        sigaction(sig, &value, nil)
      #else
        _ = signal(sig, action)
      #endif
    }
  }

  /// The command keeps what it finished after a first signal and ends by
  /// itself (it polls `requested`): the handler then only records it.
  package static func keepGoing() {
    install()
    cooperative.store(true, ordering: .sequentiallyConsistent)
  }

  /// Records `pid` as the child being waited for, and stops it at once if
  /// the signal came while it was starting.
  static func waiting(for pid: pid_t) {
    child.store(pid, ordering: .sequentiallyConsistent)
    if requested { kill(pid, SIGTERM) }
  }

  static func finishedWaiting() { child.store(0, ordering: .sequentiallyConsistent) }
}

// MARK: - The file being written

/// The temporary file `writeFile` is writing, so that a signal that stops the
/// process at once removes it: a fixed buffer filled before the file is
/// created and read by the handler, which may only call async-signal-safe
/// functions (no allocation, no Swift strings).
package enum PendingFile {
  private static let capacity = Int(PATH_MAX) + 1
  /// The temporary file's path, NUL-terminated; valid while `state` is `replacing`.
  nonisolated(unsafe) private static let temporary = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
  /// The file it will replace, for the message.
  nonisolated(unsafe) private static let target = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
  /// 0: nothing being written; 1: `temporary`, to be renamed over `target`; 2: `target` itself, in place.
  private static let state = Atomic<Int>(0)
  private static let none = 0, replacing = 1, inPlace = 2

  /// Whether standard error is a terminal (read once, before any handler runs).
  private static let onTerminal = Atomic<Bool>(false)

  static var writingInPlace: Bool { state.load(ordering: .sequentiallyConsistent) == inPlace }

  /// Makes the statics exist before a handler can read them.
  static func prepare() {
    onTerminal.store(isatty(STDERR_FILENO) == 1, ordering: .relaxed)
    _ = state.load(ordering: .relaxed)
    temporary[0] = 0
    target[0] = 0
  }

  /// Marks `temporary` (about to be created) as the file to remove if the
  /// process is stopped before `finished()`. Paths too long for the buffer
  /// are not recorded (the rename would fail for them anyway).
  package static func begin(temporary path: String, target name: String) {
    record(path, name, as: replacing)
  }

  /// Marks `name` (a device or FIFO) as being written in place until `finished()`.
  package static func beginInPlace(_ name: String) {
    record("", name, as: inPlace)
  }

  private static func record(_ path: String, _ name: String, as mode: Int) {
    state.store(none, ordering: .sequentiallyConsistent)
    guard path.utf8.count < capacity, name.utf8.count < capacity else { return }
    for (buffer, text) in [(temporary, path), (target, name)] {
      var at = 0
      for byte in text.utf8 {
        buffer[at] = CChar(bitPattern: byte)
        at += 1
      }
      buffer[at] = 0
    }
    state.store(mode, ordering: .sequentiallyConsistent)
  }

  /// The temporary file was renamed or removed, or the in-place write ended.
  package static func finished() { state.store(none, ordering: .sequentiallyConsistent) }

  /// In the signal handler: removes the temporary file, if one is being
  /// written, and says what happened in one line.
  static func abandon(again: Bool) {
    // On a terminal, a progress line may be half-drawn: start a line of our own.
    if onTerminal.load(ordering: .relaxed) { say("\n") }
    let first: StaticString = again ? "interrupted again: stopped at once" : "interrupted: stopped"
    say(first)
    switch state.exchange(none, ordering: .sequentiallyConsistent) {
    case replacing:
      unlink(temporary)
      say(" while writing ")
      _ = write(STDERR_FILENO, target, strlen(target))
      say("; its temporary file was removed and it was left as it was\n")
    case inPlace:
      say(" while writing ")
      _ = write(STDERR_FILENO, target, strlen(target))
      say(" in place (a device or pipe): what reached it so far is all it gets\n")
    default:
      say(again ? ", with no file half-written\n" : "; no file half-written\n")
    }
  }

  private static func say(_ text: StaticString) {
    _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
  }
}

/// What a measurement throws when it was interrupted.
package struct Interrupted: Error { package init() {} }
