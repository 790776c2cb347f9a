// Is this run alone on the machine? A lock file says whether another
// SpeedLadder run is measuring; /proc/stat says whether other processes took
// a share of the CPU. Each is said in one line at the start and the end.

import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - The lock

/// `$TMPDIR/speedladder-measuring.lock`, held with flock(2) while a run
/// measures. The kernel drops a flock when its holder exits, however it exits,
/// so a crashed run never leaves a stale lock. A second run does not wait or
/// refuse: it warns (at its start and at its end) and appends a line naming
/// itself, so the holder warns at its end too. Both runs' times are suspect,
/// and both say so; neither blocks a CI job that shares a machine by design.
package final class MeasuringLock: Sendable {
  /// Names the process holding (or contending for) the lock, for its children:
  /// a worker of a run is part of that run, not a second one.
  package static let environmentKey = "SPEEDLADDER_MEASURING_PID"

  package let path: String
  private let descriptor: Int32
  /// True when this process holds the lock; false when another run does.
  package let isHeld: Bool
  /// The holder's line ("pid 123, `benchmark run …`, since …") when another run holds it.
  package let holder: String?

  package static var defaultPath: String {
    let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    return URL(fileURLWithPath: folder).appendingPathComponent("speedladder-measuring.lock").path
  }

  /// Takes the lock at `path` without waiting, or records this run as a
  /// contender in it; nil when the file cannot be opened (no warning is then possible).
  package init?(path: String = MeasuringLock.defaultPath, describing me: String) {
    // O_CLOEXEC: a worker must not inherit the lock and keep it after its parent is gone.
    var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
    if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { return nil }
    // Writable by every user (the umask took that away), so whoever holds it next can name itself.
    _ = fchmod(fd, 0o666)
    self.path = path
    descriptor = fd
    if flock(fd, LOCK_EX | LOCK_NB) == 0 {
      isHeld = true
      holder = nil
      _ = ftruncate(fd, 0)
      _ = writeAll(fd, Array((me + "\n").utf8))
    } else {
      isHeld = false
      let lines = Self.lines(fd)
      holder = lines.first ?? "another process"
      _ = lseek(fd, 0, SEEK_END)
      _ = writeAll(fd, Array((me + "\n").utf8))
    }
  }

  deinit { close(descriptor) }  // closing releases the flock

  /// Runs that announced themselves after this one took the lock (empty when not held).
  package var contenders: [String] {
    guard isHeld else { return [] }
    return Array(Self.lines(descriptor).dropFirst())
  }

  private static func lines(_ fd: Int32) -> [String] {
    var bytes = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    var offset: off_t = 0
    while true {
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, offset) }
      guard n > 0 else { break }
      bytes += buffer[..<n]
      offset += off_t(n)
    }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }
}

// MARK: - The machine's load

/// The machine-wide CPU counters of /proc/stat's first line, and this
/// process's own CPU time (with its reaped children's) at the same moment.
package struct CPUSnapshot: Equatable, Sendable {
  /// Seconds of CPU spent busy, machine-wide, including steal (time the
  /// hypervisor gave another guest: as lost to this run as any process's).
  package var busy: Double
  /// Busy plus idle and iowait: elapsed time × the machine's CPUs.
  package var total: Double
  /// CPUs counted in /proc/stat.
  package var cpus: Int
  /// This process's user + system seconds, plus its waited-for descendants'.
  package var own: Double

  package init(busy: Double, total: Double, cpus: Int, own: Double) {
    (self.busy, self.total, self.cpus, self.own) = (busy, total, cpus, own)
  }

  /// Parses /proc/stat text (`ticksPerSecond` is USER_HZ); nil when it is not one.
  package init?(procStat text: String, ticksPerSecond: Double, own: Double) {
    let lines = text.split(separator: "\n")
    guard let first = lines.first, first.hasPrefix("cpu ") else { return nil }
    let fields = first.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard fields.count >= 4 else { return nil }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let field = { (i: Int) in i < fields.count ? fields[i] : 0 }
    let busyTicks = field(0) + field(1) + field(2) + field(5) + field(6) + field(7)
    let idleTicks = field(3) + field(4)
    busy = busyTicks / ticksPerSecond
    total = (busyTicks + idleTicks) / ticksPerSecond
    cpus = max(1, lines.dropFirst().filter { $0.hasPrefix("cpu") }.count)
    self.own = own
  }

  /// Now; nil where there is no /proc/stat (not Linux).
  package static func now() -> CPUSnapshot? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
    return CPUSnapshot(procStat: text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), own: ownCPUSeconds())
  }

  private static func ownCPUSeconds() -> Double {
    var seconds = 0.0
    for who in [RUSAGE_SELF, RUSAGE_CHILDREN] {
      var usage = rusage()
      #if canImport(Glibc)
        getrusage(__rusage_who_t(who.rawValue), &usage)
      #else
        getrusage(who, &usage)
      #endif
      for time in [usage.ru_utime, usage.ru_stime] {
        seconds += Double(time.tv_sec) + Double(time.tv_usec) / 1e6
      }
    }
    return seconds
  }
}

/// How much of the machine other processes used between two snapshots.
package struct OthersShare: Equatable, Sendable {
  /// Fraction of all the machine's CPU time, 0…1.
  package var fraction: Double
  package var cpus: Int

  /// Less than this is background noise (a shell, a timer): not worth a line.
  package static let measurable = 0.10

  package init(fraction: Double, cpus: Int) {
    (self.fraction, self.cpus) = (fraction, cpus)
  }

  package init?(from start: CPUSnapshot, to end: CPUSnapshot) {
    let total = end.total - start.total
    guard total > 0 else { return nil }
    let others = (end.busy - start.busy) - (end.own - start.own)
    self.init(fraction: min(1, max(0, others / total)), cpus: end.cpus)
  }

  package var isMeasurable: Bool { fraction >= Self.measurable }

  /// "other processes used 48% of the CPU (≈ 1.0 of 2 cores)".
  package var text: String {
    "other processes used \(String(format: "%.1f%%", fraction * 100)) of the CPU (≈ \(String(format: "%.1f", fraction * Double(cpus))) of \(cpus) cores)"
  }
}

// MARK: - The session

/// What the session reads of a measured cell: how often its threads were
/// preempted (`CellResult` in MeasurementKit), to count the cells that did not
/// have their cores.
package protocol PreemptionCounted {
  var preemptionsPerSecond: Double? { get }
}

/// The lock and the load of one measuring process, begun by the first
/// measurement (`Orchestrator.run`) and finished once, at the end of the command.
package final class MeasuringSession: Sendable {
  package static let shared = MeasuringSession()

  /// Cells preempted at least this often a second did not have their cores
  /// (the gates' threshold, `GateEvaluator.contendedPreemptions`).
  package static let preemptedCell = 100.0

  private struct State {
    var lock: MeasuringLock?
    var start: CPUSnapshot?
    var begun = false
    var finished = false
  }

  private let state = Mutex(State())

  init() {}

  /// Takes the lock (or warns that another run has it) and says whether the
  /// machine is busy, sampled over `window` seconds. Once per process; a
  /// process started by a run that holds the lock does nothing.
  package func begin(progress: ProgressLine, window: Double = 0.15) {
    let first = state.withLock { state -> Bool in
      defer { state.begun = true }
      return !state.begun
    }
    guard first else { return }
    let environment = ProcessInfo.processInfo.environment
    if let pid = environment[MeasuringLock.environmentKey].flatMap({ pid_t($0) }), pid != getpid(), kill(pid, 0) == 0 {
      return  // a worker of a run that holds the lock, or already warned
    }
    let me = "pid \(getpid()), `benchmark \(CommandLine.arguments.dropFirst().prefix(8).joined(separator: " "))`, since \(Self.clock())"
    let lock = MeasuringLock(describing: me)
    setenv(MeasuringLock.environmentKey, String(getpid()), 1)
    if lock == nil {
      progress.phase(
        "warning: cannot open the measuring lock \(MeasuringLock.defaultPath) (is TMPDIR a writable folder?); another SpeedLadder run measuring at the same time would go unnoticed")
    }
    if let lock, !lock.isHeld {
      progress.phase(
        "WARNING: another SpeedLadder run is measuring on this machine (\(lock.holder ?? "?")): both runs' times are disturbed; measure again when it has finished (lock \(lock.path))")
    }
    let before = CPUSnapshot.now()
    if before != nil { usleep(useconds_t(window * 1e6)) }
    let share = before.flatMap { a in CPUSnapshot.now().flatMap { OthersShare(from: a, to: $0) } }
    if let share, share.isMeasurable {
      progress.phase("busy machine: \(share.text) just before measuring; expect noisy cells and smaller multi-thread gains")
    }
    let start = CPUSnapshot.now()
    state.withLock {
      $0.lock = lock
      $0.start = start
    }
  }

  /// The end-of-run lines: whether other processes took a share of the CPU
  /// while this run measured (and how many of `cells` were preempted), and
  /// whether another SpeedLadder run measured at the same time. Releases the lock.
  package func finish(cells: [any PreemptionCounted] = []) {
    let taken = state.withLock { state -> (MeasuringLock?, CPUSnapshot?)? in
      guard state.begun, !state.finished else { return nil }
      state.finished = true
      defer { state.lock = nil }
      return (state.lock, state.start)
    }
    guard let (lock, start) = taken else { return }
    // Interrupted before any cell (during the build): nothing was measured, and
    // the compiler's processes, killed before they were waited for, would
    // count as other processes' CPU.
    let measured = !(Interruption.requested && cells.isEmpty)
    for line in Self.endLines(
      share: measured ? start.flatMap { a in CPUSnapshot.now().flatMap { OthersShare(from: a, to: $0) } } : nil, cells: cells,
      lock: lock.map { ($0.isHeld, $0.holder, $0.contenders) })
    {
      writeStandardError(line + "\n")
    }
  }

  /// What `finish` says, from what it found (separate, so tests can give it anything).
  package static func endLines(
    share: OthersShare?, cells: [any PreemptionCounted], lock: (isHeld: Bool, holder: String?, contenders: [String])?
  ) -> [String] {
    var lines: [String] = []
    let preempted = cells.filter { ($0.preemptionsPerSecond ?? 0) >= preemptedCell }.count
    let preemptedText = preempted == 0 ? "" : "; \(preempted) of \(cells.count) cells had their threads preempted ≥ \(Int(preemptedCell)) times a second"
    if let share, share.isMeasurable {
      lines.append("busy machine: while this run measured, \(share.text)\(preemptedText); its times are less trustworthy")
    } else if preempted > 0 {
      lines.append("busy machine: \(String(preemptedText.dropFirst(2))); their times are less trustworthy")
    }
    if let lock {
      if !lock.isHeld {
        lines.append("WARNING: another SpeedLadder run was measuring while this one did (\(lock.holder ?? "?")): these times are disturbed")
      } else if !lock.contenders.isEmpty {
        let others = lock.contenders.count == 1 ? "another SpeedLadder run" : "\(lock.contenders.count) other SpeedLadder runs"
        lines.append("WARNING: \(others) started measuring while this one did (\(lock.contenders.joined(separator: "; "))): these times are disturbed")
      }
    }
    return lines
  }

  private static func clock() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date()) + " UTC"
  }
}
