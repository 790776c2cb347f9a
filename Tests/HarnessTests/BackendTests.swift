// Every backend computes the serial answer; the GIL serialises chunks; the
// process backend leaves no process behind, whatever happens to it.

import Foundation
import Synchronization
import Testing
import KernelKit
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers
@testable import Kernels

@Suite("Backends")
struct BackendTests {
  static let kernels = ["mandelbrot", "fannkuch-redux", "nqueens", "sieve", "binary-trees", "latency"]

  static func serial(_ name: String, _ flavour: Flavour) -> KernelResult {
    let workload = kernel(named: name)!.makeWorkload(flavour, size: kernel(named: name)!.sizes.tiny)
    workload.run(on: SequentialExecutor())
    return workload.result()
  }

  // MARK: - In-process backends

  @Test(arguments: kernels, [Flavour.idiomatic, .c])
  func inProcessBackendsEqualSerial(name: String, flavour: Flavour) {
    let expected = Self.serial(name, flavour)
    let executors: [any ParallelExecutor] = [
      DispatchExecutor(threads: 3), TaskGroupExecutor(threads: 3), GILExecutor(ThreadPool(threads: 3)),
      GILExecutor(TaskGroupExecutor(threads: 2)), GILExecutor(DispatchExecutor(threads: 2)),
    ]
    for executor in executors {
      let workload = kernel(named: name)!.makeWorkload(flavour, size: kernel(named: name)!.sizes.tiny)
      workload.run(on: executor)
      #expect(workload.result() == expected, "\(name) \(flavour) on \(type(of: executor))")
    }
  }

  @Test(arguments: [1, 2, 5], [0, 1, 7, 300])
  func everyChunkRunsOnce(threads: Int, chunks: Int) {
    for executor in [DispatchExecutor(threads: threads), TaskGroupExecutor(threads: threads)] as [any ParallelExecutor] {
      let counts = Locked([Int](repeating: 0, count: chunks))
      executor.forEach(chunks) { i in counts.withLock { $0[i] += 1 } }
      let seen = counts.withLock { $0 }
      #expect(seen.allSatisfy { $0 == 1 }, "\(type(of: executor))")
    }
  }

  /// Called from inside a task, the tasks backend must not block a pool
  /// thread on its own children: it runs the chunks inline and returns.
  @Test func tasksBackendInsideATaskDoesNotDeadlock() async {
    let sum = await Task.detached {
      TaskGroupExecutor(threads: 4).map(100) { $0 }.reduce(0, +)
    }.value
    #expect(sum == 4950)
  }

  // MARK: - The GIL

  /// With the lock held, at most one chunk body runs at a time — observed,
  /// not timed: a counter of bodies inside the lock never exceeds 1.
  @Test(arguments: [2, 4])
  func gilSerialisesChunkBodies(threads: Int) {
    for base in [ThreadPool(threads: threads), DispatchExecutor(threads: threads), TaskGroupExecutor(threads: threads)]
      as [any ParallelExecutor]
    {
      let probe = Probe()
      GILExecutor(base).forEach(200) { _ in probe.enterWorkLeave() }
      #expect(probe.most == 1, "\(type(of: base))")
    }
  }

  /// The control: the same probe on the same thread executors without the
  /// lock does see two bodies inside at once, so `most == 1` above is the
  /// lock's doing, not a probe that cannot see overlap. Observed, not timed: a
  /// body waits inside until a second one enters (the deadline only turns a
  /// hang into a failure). The tasks executor is left out: its width is the
  /// cooperative pool's, which the test runner's own tasks share (two threads
  /// on a two-core machine), so overlap there is not guaranteed.
  @Test(arguments: [2, 4])
  func withoutTheGILChunkBodiesOverlap(threads: Int) {
    for base in [ThreadPool(threads: threads), DispatchExecutor(threads: threads)] as [any ParallelExecutor] {
      let probe = Probe(waitForCompany: true)
      base.forEach(200) { _ in probe.enterWorkLeave() }
      #expect(probe.most >= 2, "\(type(of: base))")
    }
  }

  /// `blockingCall` gives the lock up while it waits: another chunk can take
  /// the lock while one is blocked, so bodies under the lock still never
  /// overlap, but a wait can overlap another chunk's locked work.
  @Test func blockingCallReleasesTheLock() {
    let gil = GlobalInterpreterLock()
    let sawUnlocked = Locked(false)
    gil.running {
      blockingCall {
        // The lock is free here: a second thread can take and release it.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
          gil.running { sawUnlocked.withLock { $0 = true } }
          done.signal()
        }
        done.wait()
      }
    }
    let saw = sawUnlocked.withLock { $0 }
    #expect(saw)
  }

  // MARK: - Processes

  static func pool(_ name: String, _ flavour: Flavour, processes: Int, limit: Double = 60, environment: [String: String] = [:])
    -> (ProcessPool, any ChunkWork, Pids)
  {
    let definition = kernel(named: name) as! any IndependentChunks
    let size = definition.sizes.tiny
    let pids = Pids()
    var pool = ProcessPool(
      binary: benchmarkBinary, kernel: definition, flavour: flavour, size: size, processes: processes,
      timeLimit: limit, environment: environment)
    pool.onSpawn = { pids.add($0) }
    return (pool, definition.makeChunks(flavour, size: size)!, pids)
  }

  @Test(arguments: kernels, [1, 2, 3])
  func processesEqualSerial(name: String, processes: Int) throws {
    let (pool, combiner, pids) = Self.pool(name, .c, processes: processes)
    let run = try pool.run(combining: combiner)
    #expect(run.result == Self.serial(name, .c))
    #expect(run.startupSeconds > 0 && run.computeSeconds > 0)
    #expect(pids.all.count == processes)
    #expect(pids.noneLeft, "left behind: \(pids.all)")
  }

  @Test func aCrashingWorkerFailsTheRunAndLeavesNoProcess() {
    let (pool, combiner, pids) = Self.pool("nqueens", .c, processes: 3, environment: ["SPEEDLADDER_CRASH_CHUNK": "4"])
    #expect {
      _ = try pool.run(combining: combiner)
    } throws: { error in
      "\(error)".contains("crashed (signal 6)") && "\(error)".contains("worker process 2 of 3")
    }
    #expect(pids.all.count == 3)
    #expect(pids.noneLeft, "left behind: \(pids.all)")
    #expect(ChildRegistry.shared.live.allSatisfy { !pids.all.contains($0) })
  }

  @Test func aHangingWorkerIsCutOffByTheTimeLimit() {
    let (pool, combiner, pids) = Self.pool(
      "nqueens", .c, processes: 2, limit: 1, environment: ["SPEEDLADDER_HANG_CHUNK": "1"])
    #expect {
      _ = try pool.run(combining: combiner)
    } throws: { error in
      "\(error)".contains("time limit") && "\(error)".contains("killed")
    }
    #expect(pids.all.count == 2)
    #expect(pids.noneLeft, "left behind: \(pids.all)")
  }

  /// The `run` command: a crashing worker process makes its cell FAIL with
  /// the reason; the other cells are measured and the exit status is 1.
  @Test func aCrashedCellFailsAndTheRunGoesOn() throws {
    let outcome = try runBenchmark(
      [
        "--builds", Build.current.rawValue, "--kernels", "nqueens", "--flavours", "c", "--threads", "1,2",
        "--size", "tiny", "--samples", "1", "--min-time", "1", "--backend", "processes",
      ], environment: ["SPEEDLADDER_CRASH_CHUNK": "0"])
    #expect(outcome.status == 1)
    #expect(outcome.standardOutput.contains("crashed (signal 6)"))
    #expect(outcome.standardError.contains("nqueens/\(Build.current.rawValue)/c/2"))
  }

  /// SIGINT or SIGTERM to the process that owns the workers: its handler
  /// kills and reaps them, then it dies of that signal. No worker survives.
  @Test(arguments: [SIGINT, SIGTERM])
  func aSignalledParentLeavesNoWorker(signal: Int32) throws {
    let (process, workers) = try startHangingWorker()
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == signal)
    #expect(workers.allSatisfy { kill($0, 0) != 0 && errno == ESRCH }, "left behind: \(workers)")
  }

  /// SIGKILL cannot be handled, so the workers look after themselves: their
  /// standard input closes with the parent, and they exit (even one that hangs).
  @Test func workersOfAKilledParentExitOnTheirOwn() throws {
    let (process, workers) = try startHangingWorker()
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    // Orphans are re-parented; whoever adopts them may reap them late, so a
    // zombie (exited, not yet reaped) counts as gone.
    var running = workers
    for _ in 0..<200 where !running.isEmpty {
      usleep(50_000)
      running = running.filter(isRunning)
    }
    #expect(running.isEmpty, "still running: \(running)")
  }
}

// MARK: - Helpers

/// Starts `benchmark worker` on a process-backend cell whose first worker
/// process hangs, and waits until both worker processes exist.
func startHangingWorker() throws -> (Process, [pid_t]) {
  let process = Process()
  process.executableURL = benchmarkBinary
  var plan = RunPlan()
  (plan.kernels, plan.flavours, plan.threads, plan.size) = (["nqueens"], [.c], [2], .tiny)
  (plan.samples, plan.minTimeMilliseconds, plan.backend) = (1, 1, .processes)
  process.arguments = ["worker"]
  process.standardInput = try standardInput(try WorkerBinaryTests.request(plan))
  process.environment = ProcessInfo.processInfo.environment.merging(["SPEEDLADDER_HANG_CHUNK": "0"]) { $1 }
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  var workers: [pid_t] = []
  for _ in 0..<400 where workers.count < 2 {
    usleep(50_000)
    workers = childPids(of: process.processIdentifier)
  }
  #expect(workers.count == 2, "the worker processes never started")
  return (process, workers)
}

/// Whether `pid` exists and is not a zombie (Linux /proc).
func isRunning(_ pid: pid_t) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return false }
  return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
}

/// Counts bodies inside the lock and remembers the most seen at once.
private final class Probe: Sendable {
  private let state = Locked((inside: 0, most: 0))
  /// Whether a body, until overlap has been seen once, waits inside for a second body to enter.
  private let waitForCompany: Bool
  /// When the bodies stop waiting for company, overlap seen or not.
  private let deadline = Date().addingTimeInterval(30)

  init(waitForCompany: Bool = false) { self.waitForCompany = waitForCompany }

  var most: Int { state.withLock { $0.most } }

  func enterWorkLeave() {
    state.withLock {
      $0.inside += 1
      $0.most = max($0.most, $0.inside)
    }
    if waitForCompany {
      while state.withLock({ $0.most }) < 2 && Date() < deadline { usleep(100) }
    }
    var x = 0.0
    for i in 0..<2_000 { x += Double(i).squareRoot() }
    state.withLock { $0.inside -= x < 0 ? 0 : 1 }
  }
}

/// The pids a pool started, and whether any still exists (even as a zombie).
final class Pids: Sendable {
  private let pids = Locked<[pid_t]>([])
  func add(_ pid: pid_t) { pids.withLock { $0.append(pid) } }
  var all: [pid_t] { pids.withLock { $0 } }
  var noneLeft: Bool { all.allSatisfy { kill($0, 0) != 0 && errno == ESRCH } }
}

/// The pids whose parent is `parent`, from /proc (Linux).
func childPids(of parent: pid_t) -> [pid_t] {
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return entries.compactMap { entry -> pid_t? in
    guard let pid = pid_t(entry),
      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
  }
}
