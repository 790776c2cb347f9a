// Every backend computes the serial answer; the GIL serialises chunks; the
// process backend leaves no process behind, whatever happens to it.

import Foundation
import Synchronization
import TestSupport
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
  // MARK: - In-process backends

  @Test(arguments: Fixtures.Backends.kernels, [Flavour.idiomatic, .c])
  func inProcessBackendsEqualSerial(name: String, flavour: Flavour) {
    let expected = Fixtures.Backends.serial(name, flavour)
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
}

// MARK: - Helpers

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
