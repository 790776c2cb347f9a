// Is a run alone on the machine? The lock file between SpeedLadder runs, and
// the share of the CPU other processes took, each said in one line.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Measuring session")
struct MeasuringSessionTests {
  // MARK: - The lock

  @Test func aSecondRunFindsTheLockHeldAndSaysSo() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("speedladder-measuring.lock").path
    do {
      let first = try #require(MeasuringLock(path: path, describing: "first"))
      #expect(first.isHeld && first.holder == nil && first.contenders.isEmpty)
      let second = try #require(MeasuringLock(path: path, describing: "second"))
      #expect(!second.isHeld)
      #expect(second.holder == "first")
      #expect(first.contenders == ["second"])
      #expect(second.contenders.isEmpty)
    }
    // Closing the file released the lock: no stale lock, and the next holder starts a fresh file.
    let third = try #require(MeasuringLock(path: path, describing: "third"))
    #expect(third.isHeld && third.contenders.isEmpty)
  }

  @Test func endLinesNameTheOtherRun() {
    let held = MeasuringSession.endLines(share: nil, cells: [], lock: (true, nil, ["pid 9, `benchmark run`, since 10:00:00 UTC"]))
    #expect(held == ["WARNING: another SpeedLadder run started measuring while this one did (pid 9, `benchmark run`, since 10:00:00 UTC): these times are disturbed"])
    let contended = MeasuringSession.endLines(share: nil, cells: [], lock: (false, "pid 8", []))
    #expect(contended == ["WARNING: another SpeedLadder run was measuring while this one did (pid 8): these times are disturbed"])
    #expect(MeasuringSession.endLines(share: nil, cells: [], lock: (true, nil, [])).isEmpty)
    #expect(MeasuringSession.endLines(share: nil, cells: [], lock: nil).isEmpty)
  }

  // MARK: - The machine's load

  static let procStat = """
    cpu  100 0 50 800 50 0 0 0 0 0
    cpu0 50 0 25 400 25 0 0 0 0 0
    cpu1 50 0 25 400 25 0 0 0 0 0
    intr 12345
    """

  @Test func procStatParses() throws {
    let snapshot = try #require(CPUSnapshot(procStat: Self.procStat, ticksPerSecond: 100, own: 0.25))
    #expect(snapshot == CPUSnapshot(busy: 1.5, total: 10, cpus: 2, own: 0.25))
    #expect(CPUSnapshot(procStat: "intr 1", ticksPerSecond: 100, own: 0) == nil)
  }

  @Test func othersShareLeavesOutThisRunsOwnTime() throws {
    let start = CPUSnapshot(busy: 1.5, total: 10, cpus: 2, own: 0)
    // 2 s of the machine's 4 busy; 0.5 s of them this process's (or its children's).
    let share = try #require(OthersShare(from: start, to: CPUSnapshot(busy: 3.5, total: 14, cpus: 2, own: 0.5)))
    #expect(share.fraction == 0.375)
    #expect(share.isMeasurable)
    #expect(share.text == "other processes used 37.5% of the CPU (≈ 0.8 of 2 cores)")
    let quiet = try #require(OthersShare(from: start, to: CPUSnapshot(busy: 1.8, total: 14, cpus: 2, own: 0.2)))
    #expect(!quiet.isMeasurable)
    #expect(OthersShare(from: start, to: start) == nil)
  }

  @Test func endLinesSayWhenOthersTookAShare() {
    var preempted = Fixtures.Results.cell(.c, .release, threads: 2, median: 0.01)
    preempted.preemptionsPerSecond = 500
    var quiet = Fixtures.Results.cell(.c, .release, median: 0.01)
    quiet.preemptionsPerSecond = 3
    let busy = OthersShare(fraction: 0.5, cpus: 2)
    #expect(MeasuringSession.endLines(share: busy, cells: [preempted, quiet], lock: nil) == [
      "busy machine: while this run measured, other processes used 50.0% of the CPU (≈ 1.0 of 2 cores); 1 of 2 cells had their threads preempted ≥ 100 times a second; its times are less trustworthy"
    ])
    #expect(MeasuringSession.endLines(share: OthersShare(fraction: 0.02, cpus: 2), cells: [quiet], lock: nil).isEmpty)
    #expect(MeasuringSession.endLines(share: nil, cells: [preempted], lock: nil) == [
      "busy machine: 1 of 1 cells had their threads preempted ≥ 100 times a second; their times are less trustworthy"
    ])
  }
}
