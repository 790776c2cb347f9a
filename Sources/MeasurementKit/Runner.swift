// Measures the cells of one build, in this process: what a worker does.

import Foundation
import KernelKit
import ProcessKit

/// What to measure in this process.
package struct MeasurementPlan {
  var kernels: [any Kernel]
  /// The size each kernel runs at (validated).
  var sizes: [String: Int]
  var flavours: [Flavour]
  var threads: [Int]
  /// Minimum duration of one timed sample, seconds.
  var minTime: Double
  /// How many samples each cell takes (`--samples N` forces a count).
  package var sampling: SamplingPlan
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
  /// Kernel × flavour pairs with extra work in their timed region (`--inject-work`).
  package var injections: [WorkInjection] = []
  /// Set in a worker running under callgrind (`--measure instructions`): the
  /// dump-file prefix. Each cell's samples are then instruction counts of its
  /// timed region (`Counting.swift`), not times.
  package var countFile: String?
  /// Makes the process backend's cells (`--backend processes`); nil elsewhere.
  var processCells: ProcessCellFactory?

  package init(
    kernels: [any Kernel], sizes: [String: Int], flavours: [Flavour], threads: [Int], minTime: Double,
    sampling: SamplingPlan, excluded: Set<CellID> = [], backend: Backend = .threads, gil: Bool = false,
    timeLimit: Double = defaultTimeLimit, only: Set<CellID>? = nil, slowdowns: [Slowdown] = [],
    processCells: ProcessCellFactory? = nil
  ) {
    self.kernels = kernels
    self.sizes = sizes
    self.flavours = flavours
    self.threads = threads
    self.minTime = minTime
    self.sampling = sampling
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

  func injection(for id: CellID) -> WorkInjection? {
    injections.first { $0.kernel == id.kernel && $0.flavour == id.flavour }
  }

  package var cells: [CellID] {
    kernels.flatMap { kernel in
      flavours.filter { kernel.notApplicable($0) == nil }.flatMap { flavour in
        threads.map { CellID(kernel: kernel.name, flavour: flavour, build: .current, threads: $0) }
      }
    }.filter { id in !excluded.contains(id) && !skipped.contains { $0.0 == id } && only?.contains(id) != false }
  }
}

/// Measures every cell of a plan: prepares input outside the timed region,
/// verifies each cell once (the first, cold run), calibrates, then takes
/// samples in rounds, each in a shuffled order so drift does not favour any
/// cell, until every cell's median is as precise as its role asks
/// (`SamplingPlan`) or it reaches its cap.
package final class Runner {
  let plan: MeasurementPlan
  /// Called before each timed or verifying run, so a crash can be pinned on its cell.
  let willRun: (CellID) -> Void
  let progress: ProgressLine
  /// Appended to the status line: which kernel of the run, and the time left.
  let context: () -> String

  /// Reads the counted region's dumps, in a worker running under callgrind.
  private let counter: InstructionCounter?

  package init(
    plan: MeasurementPlan, progress: ProgressLine, context: @escaping () -> String = { "" },
    willRun: @escaping (CellID) -> Void = { _ in }) {
    self.plan = plan
    self.progress = progress
    self.context = context
    self.willRun = willRun
    counter = plan.countFile.map(InstructionCounter.init)
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
    let role: SamplingRole
    /// Verified, so it is timed.
    var timed = false
    /// A run lasts at least `longRunSeconds`: its verifying run is its first sample.
    var longRun = false
    var firstRunCounted = false
    var samples: [Double] = []
    /// Instructions per run, one entry per counted sample.
    var instructions: [Double] = []
    /// Cycles per run estimated from callgrind's cache simulation, when it ran one.
    var estimatedCycles: [Double] = []
    var cpuSamples: [Double] = []
    /// Times this process's threads were preempted while the samples ran, and
    /// the samples' total wall time: their ratio is `preemptionsPerSecond`.
    var preemptions = 0
    var sampledWall = 0.0
    var outcome: SamplingRecord?
    var notes: [String] = []

    /// Adds a sample of `runsPerSample` runs.
    func record(_ timing: Timing) {
      preemptions += timing.preemptions
      sampledWall += timing.wall
      samples.append(timing.wall / Double(runsPerSample))
      cpuSamples.append(timing.cpu / Double(runsPerSample))
    }

    init(
      id: CellID, kernel: any Kernel, size: Int, workload: TimedWorkload,
      executor: any ParallelExecutor, setupSeconds: Double, role: SamplingRole
    ) {
      self.id = id
      self.role = role
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
        progress.update("[\(build)] preparing \(id.kernel) · \(id.flavour.rawValue)")
        let start = monotonicSeconds()
        var made = kernel.makeWorkload(id.flavour, size: size)
        if let injection = plan.injection(for: id) { made = InjectedWorkload(made, injection: injection) }
        let workload = plan.slowdown(for: id).map { SlowedWorkload(made, factor: $0.factor).timed } ?? TimedWorkload(made)
        workloads[key] = (workload, monotonicSeconds() - start)
      }
      var (workload, setup) = workloads[key]!
      let executor = plan.executor(threads: id.threads, pools: pools)
      workload = plan.processWorkload(id, kernel: kernel, size: size) ?? workload
      slots.append(
        Slot(
          id: id, kernel: kernel, size: size, workload: workload, executor: executor, setupSeconds: setup,
          role: plan.sampling.role(id)))
    }

    progress.phase("[\(build)] verifying and calibrating \(counted(slots.count, "cell"))")
    for (index, slot) in slots.enumerated() {
      progress.update("[\(build)] verifying \(index + 1)/\(slots.count) · \(slot.id.kernel) · \(slot.id.rung)")
      verifyAndCalibrate(slot)
    }

    let timed = slots.filter(\.timed)
    if let counter {
      progress.phase("[\(build)] counting instructions of \(counted(timed.count, "cell")) under callgrind")
      for (index, slot) in timed.enumerated() {
        progress.update("[\(build)] counting \(index + 1)/\(timed.count) · \(slot.id.kernel) · \(slot.id.rung)")
        count(slot, counter: counter)
      }
    }
    let slotsByID = Dictionary(uniqueKeysWithValues: timed.map { ($0.id, $0) })
    if counter == nil {
      progress.phase("[\(build)] sampling \(counted(timed.count, "cell")), interleaved, \(samplingPhrase)")
    }
    var round = 0
    while counter == nil, case var order = timed.filter({ needsSample($0, slots: slotsByID) }), !order.isEmpty {
      var rng = SplitMix64(seed: UInt64(round) &+ 0x5eed)
      order.shuffle(using: &rng)
      round += 1
      for (index, slot) in order.enumerated() {
        progress.update(
          "[\(build)] round \(round) · \(index + 1)/\(order.count) · \(slot.id.kernel) · \(slot.id.rung)\(context())")
        takeSample(slot)
      }
    }
    for slot in timed where counter == nil { slot.outcome = outcome(slot, slots: slotsByID) }
    progress.done()

    // The output of the last timed run must still be the verified answer.
    // Thread counts share a workload, so each workload's output is read once
    // (in a debug build that can take a second: k-nucleotide's tables).
    var finals: [ObjectIdentifier: KernelResult] = [:]
    for slot in timed {
      let key = ObjectIdentifier(slot.workload.workload)
      let final = finals[key] ?? slot.workload.result()
      finals[key] = final
      if final != slot.result {
        slot.verification = CellVerification(
          .mismatch, "result changed while timing: \(final) after \(slot.result.map(\.text) ?? "none")")
      }
    }
    return slots.map(cellResult)
  }

  private func verifyAndCalibrate(_ slot: Slot) {
    willRun(slot.id)
    let first = measuredRun(slot)
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
    slot.timed = true
    if let injected = slot.workload.workload as? InjectedWorkload {
      injected.calibrate(on: slot.executor) { body in
        if let counter { return (try? counter.count(body)).map(Double.init) ?? 0 }
        return (0..<3).map { _ in
          let t0 = monotonicSeconds()
          body()
          return monotonicSeconds() - t0
        }.min()!
      }
    }
    // A counted cell needs no warm-up or calibration: its count does not depend on them.
    if counter != nil {
      slot.runsPerSample = slot.workload.period
      return
    }

    // A run of ≥ 0.1 s is its own warm-up: its first touches of input and
    // code are a small part of it, so (unless the count is forced) the
    // verifying run is its first sample. A slowed workload's samples span
    // whole periods, so every sample does exactly `factor`× the work.
    let forced = plan.sampling.forcedSamples != nil
    slot.longRun = first.wall >= longRunSeconds
    if slot.longRun && !forced && slot.workload.period == 1 {
      slot.firstRunCounted = true
      slot.runsPerSample = 1
      slot.record(first)
      return
    }
    // Warm up: about one sample's worth of runs after the cold first run (not
    // for a long debug run when the count is forced: it would only cost time).
    let (_, runs) = Calibration.calibrate(
      firstRun: first.wall, minTime: plan.minTime, period: slot.workload.period,
      warmUp: !(slot.longRun && (slot.id.build == .debug || !forced))
    ) {
      willRun(slot.id)
      let t0 = monotonicSeconds()
      slot.workload.run(on: slot.executor)
      return monotonicSeconds() - t0
    }
    slot.runsPerSample = runs
  }

  /// One run's wall and CPU seconds, and the preemptions during it.
  private struct Timing {
    var wall: Double
    var cpu: Double
    var preemptions: Int
  }

  /// Times `slot.runsPerSample` runs (one before calibration).
  private func measuredRun(_ slot: Slot, runs: Int = 1) -> Timing {
    let switches0 = involuntaryContextSwitches()
    let cpu0 = processCPUSeconds()
    let t0 = monotonicSeconds()
    for _ in 0..<runs { slot.workload.run(on: slot.executor) }
    let elapsed = monotonicSeconds() - t0
    return Timing(
      wall: elapsed, cpu: processCPUSeconds() - cpu0, preemptions: involuntaryContextSwitches() - switches0)
  }

  /// Counts `slot`'s timed region, `forcedSamples` (or `CountedSampling.defaultSamples`)
  /// times; each sample spans whole periods of a slowed workload.
  private func count(_ slot: Slot, counter: InstructionCounter) {
    let runs = slot.runsPerSample
    // One uncounted run first: whatever the verifying run did not reach (the
    // injected work, a symbol the dynamic linker binds on its first call, a
    // few thousand instructions) happens here, not in the first sample.
    willRun(slot.id)
    slot.workload.run(on: slot.executor)
    for _ in 0..<(plan.sampling.forcedSamples ?? CountedSampling.defaultSamples) {
      willRun(slot.id)
      slot.workload.startSample()
      do {
        let events = try counter.events {
          for _ in 0..<runs { slot.workload.run(on: slot.executor) }
        }
        guard let instructions = events["Ir"] else { throw CountError("a callgrind dump without Ir (instructions)") }
        slot.instructions.append(Double(instructions) / Double(runs))
        if let cycles = CallgrindOutput.estimatedCycles(events) { slot.estimatedCycles.append(cycles / Double(runs)) }
      } catch {
        slot.verification = CellVerification(.crashed, "\(error)")
        return
      }
    }
  }

  private func takeSample(_ slot: Slot) {
    willRun(slot.id)
    slot.workload.startSample()
    slot.record(measuredRun(slot, runs: slot.runsPerSample))
  }

  // MARK: - When to stop

  /// How the run samples, for its phase line.
  private var samplingPhrase: String {
    plan.sampling.forcedSamples.map { "\(counted($0, "sample")) each" } ?? "until precise enough"
  }

  /// Whether `slot` takes another sample (`SamplingPlan.needsSample`).
  private func needsSample(_ slot: Slot, slots: [CellID: Slot]) -> Bool {
    plan.sampling.needsSample(
      slot.id, samples: slot.samples, sampledSeconds: slot.sampledWall, longRun: slot.longRun,
      others: { slots[$0]?.samples ?? [] })
  }

  private func outcome(_ slot: Slot, slots: [CellID: Slot]) -> SamplingRecord {
    plan.sampling.outcome(
      slot.id, samples: slot.samples, sampledSeconds: slot.sampledWall, longRun: slot.longRun,
      firstRunCounted: slot.firstRunCounted, others: { slots[$0]?.samples ?? [] })
  }

  private func cellResult(_ slot: Slot) -> CellResult {
    let statistics = slot.samples.isEmpty ? nil : SampleStatistics(slot.samples)
    var notes = slot.notes + slot.workload.notes()
    let slowdown = plan.slowdown(for: slot.id)
    if let slowdown { notes.insert(slowdown.note, at: 0) }
    let injection = plan.injection(for: slot.id)
    if let injection { notes.insert(injection.note, at: 0) }
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
      preemptionsPerSecond: slot.sampledWall > 0 ? Double(slot.preemptions) / slot.sampledWall : nil,
      sampling: slot.outcome, instructions: slot.instructions.isEmpty ? nil : slot.instructions,
      injection: injection?.description, estimatedCycles: slot.estimatedCycles.isEmpty ? nil : slot.estimatedCycles)
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
