// Measures the cells of one build, in this process: what a worker does.

import Foundation
import KernelKit
import Kernels

/// What to measure in this process.
package struct MeasurementPlan {
  var kernels: [any Kernel]
  /// The size each kernel runs at (validated).
  var sizes: [String: Int]
  var flavours: [Flavour]
  var threads: [Int]
  /// Minimum duration of one timed sample, seconds.
  var minTime: Double
  var samples: Int
  /// Cells not to run (they crashed an earlier attempt).
  var excluded: Set<CellID> = []
  // Concurrency (Backend.swift): who runs multi-thread cells, and whether under a GIL.
  var backend: Backend = .threads
  var gil = false
  var timeLimit = defaultTimeLimit
  /// When set, only these cells of the product are run.
  var only: Set<CellID>?
  /// Kernel × flavour pairs that do more real work (`--inject-slowdown`).
  var slowdowns: [Slowdown] = []
  /// Makes the process backend's cells (`--backend processes`); nil elsewhere.
  var processCells: ProcessCellFactory?

  package init(
    kernels: [any Kernel], sizes: [String: Int], flavours: [Flavour], threads: [Int], minTime: Double,
    samples: Int, excluded: Set<CellID> = [], backend: Backend = .threads, gil: Bool = false,
    timeLimit: Double = defaultTimeLimit, only: Set<CellID>? = nil, slowdowns: [Slowdown] = [],
    processCells: ProcessCellFactory? = nil
  ) {
    self.kernels = kernels
    self.sizes = sizes
    self.flavours = flavours
    self.threads = threads
    self.minTime = minTime
    self.samples = samples
    self.excluded = excluded
    self.backend = backend
    self.gil = gil
    self.timeLimit = timeLimit
    self.only = only
    self.slowdowns = slowdowns
    self.processCells = processCells
  }

  func slowdown(for id: CellID) -> Slowdown? {
    slowdowns.first { $0.kernel == id.kernel && $0.flavour == id.flavour }
  }

  var cells: [CellID] {
    kernels.flatMap { kernel in
      flavours.filter { kernel.notApplicable($0) == nil }.flatMap { flavour in
        threads.map { CellID(kernel: kernel.name, flavour: flavour, build: .current, threads: $0) }
      }
    }.filter { id in !excluded.contains(id) && !skipped.contains { $0.0 == id } && only?.contains(id) != false }
  }
}

/// A debug cell whose single run lasts this long gets fewer samples.
let longCellSeconds = 0.25
let longCellSamples = 3

/// Measures every cell of a plan: prepares input outside the timed region,
/// verifies each cell once (the first, cold run), calibrates, then takes the
/// samples round-robin in a shuffled order so drift does not favour any cell.
package final class Runner {
  let plan: MeasurementPlan
  /// Called before each timed or verifying run, so a crash can be pinned on its cell.
  let willRun: (CellID) -> Void
  let progress: ProgressLine

  package init(plan: MeasurementPlan, progress: ProgressLine, willRun: @escaping (CellID) -> Void = { _ in }) {
    self.plan = plan
    self.progress = progress
    self.willRun = willRun
  }

  private final class Slot {
    let id: CellID
    let kernel: any Kernel
    let size: Int
    let workload: TimedWorkload
    let executor: any ParallelExecutor
    var setupSeconds: Double
    var result: KernelResult?
    var verification = CellVerification(.agreement, "")
    var runsPerSample = 1
    var targetSamples = 0
    var samples: [Double] = []
    var cpuSamples: [Double] = []
    /// Times this process's threads were preempted while the samples ran, and
    /// the samples' total wall time: their ratio is `preemptionsPerSecond`.
    var preemptions = 0
    var sampledWall = 0.0
    var notes: [String] = []

    init(
      id: CellID, kernel: any Kernel, size: Int, workload: TimedWorkload,
      executor: any ParallelExecutor, setupSeconds: Double
    ) {
      self.id = id
      self.kernel = kernel
      self.size = size
      self.workload = workload
      self.executor = executor
      self.setupSeconds = setupSeconds
    }
  }

  package func run() -> [CellResult] {
    let pools = Dictionary(
      uniqueKeysWithValues: plan.threads.filter { $0 > 1 }.map { ($0, ThreadPool(threads: $0)) })
    let cells = plan.cells
    let build = Build.current.rawValue

    // Input and allocation, outside every timed region; one workload per
    // kernel × flavour, shared by its thread counts.
    var workloads: [String: (TimedWorkload, Double)] = [:]
    var slots: [Slot] = []
    for id in cells {
      let kernel = plan.kernels.first { $0.name == id.kernel }!
      let size = plan.sizes[id.kernel]!
      let key = "\(id.kernel)/\(id.flavour)"
      if workloads[key] == nil {
        progress.update("[\(build)] preparing \(id.kernel) · \(id.flavour)")
        let start = monotonicSeconds()
        let made = kernel.makeWorkload(id.flavour, size: size)
        let workload = plan.slowdown(for: id).map { SlowedWorkload(made, factor: $0.factor).timed } ?? TimedWorkload(made)
        workloads[key] = (workload, monotonicSeconds() - start)
      }
      var (workload, setup) = workloads[key]!
      let executor = plan.executor(threads: id.threads, pools: pools)
      workload = plan.processWorkload(id, kernel: kernel, size: size) ?? workload
      slots.append(
        Slot(id: id, kernel: kernel, size: size, workload: workload, executor: executor, setupSeconds: setup))
    }

    progress.phase("[\(build)] verifying and calibrating \(counted(slots.count, "cell"))")
    for (index, slot) in slots.enumerated() {
      progress.update("[\(build)] verifying \(index + 1)/\(slots.count) · \(slot.id.kernel) · \(slot.id.rung)")
      verifyAndCalibrate(slot)
    }

    let timed = slots.filter { $0.targetSamples > 0 }
    let rounds = timed.map(\.targetSamples).max() ?? 0
    progress.phase("[\(build)] sampling \(counted(timed.count, "cell")), \(counted(rounds, "round")), interleaved")
    for round in 0..<rounds {
      var order = timed.filter { $0.samples.count < $0.targetSamples }
      var rng = SplitMix64(seed: UInt64(round) &+ 0x5eed)
      order.shuffle(using: &rng)
      for (index, slot) in order.enumerated() {
        progress.update(
          "[\(build)] round \(round + 1)/\(rounds) · \(index + 1)/\(order.count) · \(slot.id.kernel) · \(slot.id.rung)")
        takeSample(slot)
      }
    }
    progress.done()

    for slot in timed {
      // The output of the last timed run must still be the verified answer.
      let final = slot.workload.result()
      if final != slot.result {
        slot.verification = CellVerification(
          .mismatch, "result changed while timing: \(final) after \(slot.result.map(\.text) ?? "none")")
      }
    }
    return slots.map(cellResult)
  }

  private func verifyAndCalibrate(_ slot: Slot) {
    willRun(slot.id)
    let start = monotonicSeconds()
    slot.workload.run(on: slot.executor)
    let first = monotonicSeconds() - start
    let result = slot.workload.result()
    slot.result = result
    if let why = slot.workload.failure() {
      slot.verification = CellVerification(.crashed, why)
      return  // never timed
    }
    switch slot.kernel.verify(result, size: slot.size) {
    case .mismatch(let why):
      slot.verification = CellVerification(.mismatch, why)
      return  // never timed
    case .matches(let what):
      slot.verification = CellVerification(.reference, what)
    case .noReference:
      slot.verification = CellVerification(.agreement, "no reference at this size")
    }

    // Warm up: about one sample's worth of runs after the cold first run. A
    // long debug cell (≥ 0.25 s a run) is warm after its first run; another
    // would only cost time. A slowed workload's samples span whole periods, so
    // every sample does exactly `factor`× the work.
    let (perRun, runs) = Calibration.calibrate(
      firstRun: first, minTime: plan.minTime, period: slot.workload.period,
      warmUp: !(slot.id.build == .debug && first >= longCellSeconds)
    ) {
      willRun(slot.id)
      let t0 = monotonicSeconds()
      slot.workload.run(on: slot.executor)
      return monotonicSeconds() - t0
    }
    slot.runsPerSample = runs
    slot.targetSamples = plan.samples
    if slot.id.build == .debug && perRun >= longCellSeconds && plan.samples > longCellSamples {
      slot.targetSamples = longCellSamples
      slot.notes.append(
        "\(longCellSamples) samples, not \(plan.samples): a debug run lasts \(formatSeconds(perRun))")
    }
  }

  private func takeSample(_ slot: Slot) {
    willRun(slot.id)
    slot.workload.startSample()
    let switches0 = involuntaryContextSwitches()
    let cpu0 = processCPUSeconds()
    let t0 = monotonicSeconds()
    for _ in 0..<slot.runsPerSample { slot.workload.run(on: slot.executor) }
    let elapsed = monotonicSeconds() - t0
    let cpu = processCPUSeconds() - cpu0
    slot.preemptions += involuntaryContextSwitches() - switches0
    slot.sampledWall += elapsed
    slot.samples.append(elapsed / Double(slot.runsPerSample))
    slot.cpuSamples.append(cpu / Double(slot.runsPerSample))
  }

  private func cellResult(_ slot: Slot) -> CellResult {
    let statistics = slot.samples.isEmpty ? nil : SampleStatistics(slot.samples)
    var notes = slot.notes + slot.workload.notes()
    let slowdown = plan.slowdown(for: slot.id)
    if let slowdown { notes.insert(slowdown.note, at: 0) }
    if slot.setupSeconds >= 0.5 {
      notes.append("setup \(formatSeconds(slot.setupSeconds)), not timed")
    }
    if let statistics, statistics.isNoisy {
      notes.append("noisy: CV \(formatPercent(statistics.cv)) > \(formatPercent(SampleStatistics.noisyCV))")
    }
    return CellResult(
      id: slot.id, size: slot.size, runsPerSample: slot.runsPerSample, samples: slot.samples,
      cpuSamples: slot.cpuSamples, statistics: statistics, setupSeconds: slot.setupSeconds,
      result: slot.result, verification: slot.verification, notes: notes, slowdown: slowdown?.factor,
      preemptionsPerSecond: slot.sampledWall > 0 ? Double(slot.preemptions) / slot.sampledWall : nil)
  }
}

// MARK: - Other processes

/// Involuntary context switches of this process so far (all its threads): each
/// is a moment the scheduler took a core from one of our threads to run
/// something else. On a quiet machine a compute-bound cell sees almost none;
/// on a shared one, hundreds a second. A multi-thread cell that is preempted
/// that often did not get the cores its scaling claims to measure.
func involuntaryContextSwitches() -> Int {
  var usage = rusage()
  #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  return Int(usage.ru_nivcsw)
}
