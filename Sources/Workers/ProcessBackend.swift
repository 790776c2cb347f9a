// The process backend: N worker processes, started from this binary with
// posix_spawn, each computing its share of a kernel's independent chunks and
// sending the partial results back over a pipe. Python's multiprocessing, in
// Swift, with its start-up cost measured apart from the compute.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit
import Synchronization
import WorkerProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - What one run of the process backend gives

/// The outcome of one run over worker processes.
package struct ProcessRun {
  var result: KernelResult
  /// From the first posix_spawn until every worker has prepared its input and
  /// said it is ready: what a `multiprocessing.Pool` costs before any work.
  package var startupSeconds: Double
  /// From "go" until every partial result has arrived and been combined.
  package var computeSeconds: Double
}

/// Why a run over worker processes failed: one line, for a FAIL cell.
struct ProcessFailure: Error, CustomStringConvertible {
  package var message: String
  var description: String { message }
}

// MARK: - The parent's side

/// Starts `processes` workers of `binary` for one kernel × flavour × size and
/// collects their chunks.
///
/// Worker w computes chunks w, w + N, w + 2N, … (static, interleaved: neighbouring
/// chunks of mandelbrot or nqueens cost about the same, so each worker gets a
/// fair mix without a round trip per chunk). The protocol on the worker's pipes:
/// the parent writes the worker's `WorkerRequest.chunks` as one line on its
/// standard input, the worker writes `R` when its input is ready, the parent writes `G` to all,
/// each worker writes its partials as frames (chunk index, length, bytes, all
/// little-endian UInt32 heads) and exits. A worker that dies, sends a short
/// frame or misses the time limit fails the run; every worker is killed and
/// reaped before `run` returns or throws, so none is left behind.
package struct ProcessPool {
  package var binary: URL
  var kernel: any Kernel
  var flavour: Flavour
  var size: Int
  var processes: Int
  /// Seconds a whole run (start-up and compute) may take.
  var timeLimit: Double
  /// Extra environment for the workers (tests use it for crash and hang hooks).
  var environment: [String: String] = [:]
  /// Told each worker's pid as it starts (tests check afterwards that none is left).
  var onSpawn: (@Sendable (pid_t) -> Void)?

  /// One run: spawn, wait for ready, go, collect, reap. `combiner` is this
  /// kernel's `ChunkWork` in the parent, prepared once outside the timing.
  package func run(combining combiner: any ChunkWork) throws -> ProcessRun {
    let count = combiner.count
    ChildRegistry.shared.installSignalHandlers()
    let started = monotonicSeconds()
    let deadline = started + timeLimit
    var workers: [Child] = []
    defer { for worker in workers { worker.killAndReap() } }
    for w in 0..<processes {
      workers.append(try spawn(index: w))
    }
    // Start-up: every worker has exec'd, initialised and prepared its input.
    try readAll(workers, deadline: deadline, what: "started") { worker, bytes in
      worker.buffer.append(contentsOf: bytes)
      return worker.buffer.count >= 1
    }
    for worker in workers where worker.buffer != [UInt8(ascii: "R")] {
      throw ProcessFailure(message: "worker process \(worker.index + 1) of \(processes) did not say it was ready")
    }
    let ready = monotonicSeconds()
    for worker in workers {
      worker.buffer = []
      var go = UInt8(ascii: "G")
      guard write(worker.input, &go, 1) == 1 else {
        throw ProcessFailure(message: "cannot start worker process \(worker.index + 1): \(String(cString: strerror(errno)))")
      }
    }
    try readAll(workers, deadline: deadline, what: "finished its chunks") { worker, bytes in
      worker.buffer.append(contentsOf: bytes)
      return false  // until end of file
    }
    for worker in workers {
      if let why = worker.reap(deadline: deadline) {
        throw ProcessFailure(message: "worker process \(worker.index + 1) of \(processes) (pid \(worker.pid)) \(why)")
      }
    }
    var partials = [[UInt8]?](repeating: nil, count: count)
    for worker in workers {
      try Self.frames(worker.buffer) { index, bytes in
        guard index < count, index % processes == worker.index, partials[index] == nil else {
          throw ProcessFailure(message: "worker process \(worker.index + 1) sent chunk \(index), which is not its own")
        }
        partials[index] = bytes
      }
    }
    if let missing = partials.firstIndex(where: { $0 == nil }) {
      throw ProcessFailure(message: "no worker process sent chunk \(missing) of \(count)")
    }
    let result = combiner.combine(partials.map { $0! })
    return ProcessRun(result: result, startupSeconds: ready - started, computeSeconds: monotonicSeconds() - ready)
  }

  // MARK: Spawning

  /// One worker process and the parent's ends of its pipes.
  final class Child {
    let index: Int
    let pid: pid_t
    /// The parent writes `G` here; closing it tells the worker the parent is gone.
    let input: Int32
    /// The worker's standard output: `R`, then its frames.
    var output: Int32
    var buffer: [UInt8] = []
    private var reaped = false

    init(index: Int, pid: pid_t, input: Int32, output: Int32) {
      self.index = index
      self.pid = pid
      self.input = input
      self.output = output
    }

    /// Waits for the worker's exit until `deadline`; nil when it exited with 0.
    func reap(deadline: Double) -> String? {
      var status: Int32 = 0
      while true {
        let done = waitpid(pid, &status, WNOHANG)
        if done == pid { break }
        if done < 0 && errno != EINTR { return "could not be waited for: \(String(cString: strerror(errno)))" }
        if monotonicSeconds() > deadline { return "did not exit after sending its chunks" }
        usleep(200)
      }
      reaped = true
      ChildRegistry.shared.remove(pid)
      let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 0
      let signal = status & 0x7f
      if signal != 0 { return "crashed (signal \(signal))" }
      if code != 0 { return "exited with status \(code)" }
      return nil
    }

    /// Kills the worker unless it was reaped, and waits for it; closes the pipes.
    func killAndReap() {
      if !reaped {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        ChildRegistry.shared.remove(pid)
      }
      close(input)
      if output >= 0 { close(output) }
      output = -1
    }
  }

  private func spawn(index: Int) throws -> Child {
    let job = ChunkJob(kernel: kernel, flavour: flavour, size: size, worker: index, of: processes)
    let request = try WorkerRequest.chunks(job).line()
    // Close-on-exec: no worker inherits another worker's pipe ends, so each
    // worker's end of file means that worker is done. (pipe2 is not visible
    // from Swift's Glibc module; the harness spawns from one thread at a time.)
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    guard pipe(&toChild) == 0 else { throw failure("cannot create a pipe") }
    guard pipe(&fromChild) == 0 else {
      close(toChild[0]); close(toChild[1])
      throw failure("cannot create a pipe")
    }
    for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    // The request is in the pipe before the worker starts: written while this
    // process holds both ends, into an empty pipe, a line this short can
    // neither block nor meet a worker that has died. `G` follows, later.
    if let why = writeFailure(toChild[1], request) {
      for fd in toChild + fromChild { close(fd) }
      throw ProcessFailure(message: "cannot send worker process \(index + 1) its job: \(why)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Workers start with no signal blocked and default actions (whatever
    // thread of the harness spawns them), so SIGKILL is not their only end.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    let arguments = [binary.path, "worker"]
    var environment = ProcessInfo.processInfo.environment.merging(self.environment) { $1 }
    // A crashing worker should die at once, not wait for Swift's backtracer.
    if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let status = ChildRegistry.shared.spawning {
      let status = posix_spawn(&pid, binary.path, &actions, &attributes, argv, envp)
      return (status, status == 0 ? pid : 0)
    }
    close(toChild[0])
    close(fromChild[1])
    guard status == 0 else {
      close(toChild[1]); close(fromChild[0])
      throw failure("posix_spawn \(binary.path) failed: \(String(cString: strerror(status)))")
    }
    onSpawn?(pid)
    return Child(index: index, pid: pid, input: toChild[1], output: fromChild[0])
  }

  private func failure(_ what: String) -> ProcessFailure {
    ProcessFailure(message: "\(what): \(String(cString: strerror(errno)))")
  }

  // MARK: Reading

  /// Polls every worker's output until `enough` says so (or end of file) for
  /// each, or the deadline passes.
  private func readAll(
    _ workers: [Child], deadline: Double, what: String, enough: (Child, ArraySlice<UInt8>) -> Bool
  ) throws {
    var open = Set(workers.map(\.index))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while !open.isEmpty {
      let left = deadline - monotonicSeconds()
      guard left > 0 else {
        let late = open.sorted().map { "\($0 + 1)" }.joined(separator: ", ")
        let who = open.count == 1 ? "worker process \(late) of \(processes) had" : "worker processes \(late) of \(processes) had"
        throw ProcessFailure(
          message: "time limit: after \(formatSeconds(timeLimit)), \(who) not \(what); all \(processes) killed (--time-limit)")
      }
      var fds = workers.filter { open.contains($0.index) }.map { pollfd(fd: $0.output, events: Int16(POLLIN), revents: 0) }
      let ready = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000, 1000).rounded(.up)))
      if ready < 0 && errno != EINTR { throw failure("poll failed") }
      for entry in fds where entry.revents != 0 {
        let worker = workers.first { $0.output == entry.fd }!
        let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
        if n > 0 {
          if enough(worker, chunk[0..<n]) { open.remove(worker.index) }
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
          open.remove(worker.index)
          if worker.buffer.isEmpty || what == "started" {
            // Closed before saying anything: it died; `reap` says how.
            if let why = worker.reap(deadline: deadline) {
              throw ProcessFailure(message: "worker process \(worker.index + 1) of \(processes) (pid \(worker.pid)) \(why)")
            }
          }
        }
      }
    }
  }

  /// Calls `body` for each frame of a worker's output.
  static func frames(_ bytes: [UInt8], _ body: (Int, [UInt8]) throws -> Void) throws {
    var at = 0
    func word() throws -> Int {
      guard at + 4 <= bytes.count else { throw ProcessFailure(message: "a worker's output ended mid-frame") }
      defer { at += 4 }
      return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    while at < bytes.count {
      let index = try word()
      let length = try word()
      guard at + length <= bytes.count else { throw ProcessFailure(message: "a worker's output ended mid-frame") }
      try body(index, Array(bytes[at..<at + length]))
      at += length
    }
  }
}

// MARK: - Never leaving orphans

/// The worker processes alive right now, for the SIGINT/SIGTERM handler:
/// a fixed table of atomics, because a signal handler may not allocate or lock.
final class ChildRegistry: Sendable {
  static let shared = ChildRegistry()
  static let capacity = 256

  private let slots: [Slot]
  private let installed = Atomic<Bool>(false)
  /// One spawn at a time, each registered as it returns. A signal that lands
  /// between posix_spawn and the registration misses that one worker; it
  /// still ends, because it waits for `G` on a pipe whose writer (this
  /// process) is then gone, and reads end of file.
  private let spawnLock = Locked(())

  private init() { slots = (0..<Self.capacity).map { _ in Slot() } }

  /// A heap cell for one atomic pid (0: free), so a table of them fits in an array.
  private final class Slot: Sendable {
    let value = Atomic<Int32>(0)
  }

  /// Runs `spawn` and records the pid it returns.
  func spawning(_ spawn: () -> (Int32, pid_t)) -> Int32 {
    spawnLock.withLock { _ in
      let (status, pid) = spawn()
      if status == 0 { add(pid) }
      return status
    }
  }

  private func add(_ pid: pid_t) {
    for slot in slots where slot.value.compareExchange(expected: 0, desired: pid, ordering: .sequentiallyConsistent).exchanged {
      return
    }
    // More live workers than slots: they are still reaped on every normal and
    // failing path, only a signal would miss them. Not reachable with --threads ≤ 16 × cores.
  }

  func remove(_ pid: pid_t) {
    for slot in slots where slot.value.compareExchange(expected: pid, desired: 0, ordering: .sequentiallyConsistent).exchanged {
      return
    }
  }

  /// Pids of the live workers (for tests).
  var live: [pid_t] { slots.map { $0.value.load(ordering: .sequentiallyConsistent) }.filter { $0 != 0 } }

  /// Kills and reaps every registered worker. Async-signal-safe: atomics,
  /// kill and waitpid only.
  func killAndReapAll() {
    for slot in slots {
      let pid = slot.value.exchange(0, ordering: .sequentiallyConsistent)
      guard pid > 0 else { continue }
      kill(pid, SIGKILL)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
  }

  /// On SIGINT or SIGTERM: kill and reap the workers, then die of the same
  /// signal (default action), so the parent's parent sees what happened.
  ///
  /// Also unblocks the two signals on the calling thread: a process started
  /// from a thread that blocks them (a Dispatch worker thread blocks almost
  /// every signal, and a child inherits its starter's mask) would otherwise
  /// never see them. And ignores SIGPIPE: writing `G` to a worker that already
  /// died must fail with EPIPE (and fail the cell), not kill the harness.
  func installSignalHandlers() {
    guard installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
    else { return }
    signal(SIGPIPE, SIG_IGN)
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGINT, SIGTERM] {
      signal(sig) { sig in
        ChildRegistry.shared.killAndReapAll()
        signal(sig, SIG_DFL)
        raise(sig)
      }
      sigaddset(&set, sig)
    }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}

// MARK: - As a workload

/// A cell of the process backend: each run spawns `processes` workers, as a
/// fresh `multiprocessing.Pool` per job would, so the start-up cost is part of
/// the measured time; it is also recorded apart (`startupSeconds`).
package final class ProcessCell: Workload {
  let pool: ProcessPool
  let combiner: any ChunkWork
  private(set) var last: KernelResult?
  /// Why the last run failed, if it did: the cell is then FAIL with this message.
  private(set) var failure: String?
  private(set) var startupSeconds: [Double] = []
  private(set) var computeSeconds: [Double] = []

  init(pool: ProcessPool, combiner: any ChunkWork) {
    self.pool = pool
    self.combiner = combiner
  }

  /// `executor` is not used: the workers are processes, not threads.
  package func run(on executor: any ParallelExecutor) {
    guard failure == nil else { return }
    do {
      let run = try pool.run(combining: combiner)
      last = run.result
      startupSeconds.append(run.startupSeconds)
      computeSeconds.append(run.computeSeconds)
    } catch {
      failure = "\(error)"
      last = nil
    }
  }

  package func result() -> KernelResult {
    last ?? KernelResult(text: "FAIL: \(failure ?? "not run")", checksum: 0)
  }

  /// Medians of start-up and compute per run, once it has run.
  var phases: (startup: Double, compute: Double)? {
    guard !startupSeconds.isEmpty else { return nil }
    return (SampleStatistics.median(startupSeconds), SampleStatistics.median(computeSeconds))
  }

  /// As the runner times it: its failure and its start-up cost, measured apart.
  var timed: TimedWorkload {
    var timed = TimedWorkload(self)
    timed.failure = { [self] in failure }
    timed.phases = { [self] in phases }
    timed.notes = { [self] in
      phases.map { ["processes: start-up \(formatSeconds($0.startup)) + compute \(formatSeconds($0.compute)) a run (medians)"] } ?? []
    }
    return timed
  }

  /// The process backend's cells for a runner in a worker of `binary`.
  package static func factory(binary: URL, timeLimit: Double) -> ProcessCellFactory {
    { id, kernel, size in
      guard let combiner = kernel.makeChunks(id.flavour, size: size) else { return nil }
      let pool = ProcessPool(
        binary: binary, kernel: kernel, flavour: id.flavour, size: size, processes: id.threads, timeLimit: timeLimit)
      return ProcessCell(pool: pool, combiner: combiner).timed
    }
  }
}
