// The process backend, run with the built `benchmark` as its workers: it
// computes the serial answer and leaves no process behind, whatever happens to it.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import Kernels
@testable import MeasurementKit
@testable import Workers

@Suite("Backends: worker processes")
struct BackendProcessTests {
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

  @Test(arguments: Fixtures.Backends.kernels, [1, 2, 3])
  func processesEqualSerial(name: String, processes: Int) throws {
    let (pool, combiner, pids) = Self.pool(name, .c, processes: processes)
    let run = try pool.run(combining: combiner)
    #expect(run.result == Fixtures.Backends.serial(name, .c))
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
    #expect(stillRunning(workers) == [], "still running")
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

/// Which of `pids` are still running after waiting up to ten seconds for
/// them all to exit (a zombie, exited and not yet reaped, counts as gone).
func stillRunning(_ pids: [pid_t]) -> [pid_t] {
  var running = pids
  for _ in 0..<200 where !running.isEmpty {
    usleep(50_000)
    running = running.filter(isRunning)
  }
  return running
}

/// Whether `pid` exists and is not a zombie (Linux /proc).
func isRunning(_ pid: pid_t) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return false }
  return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
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
