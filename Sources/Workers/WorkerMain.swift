// `WorkerRequest.measure`: measures this binary's build and streams JSON lines.

import Foundation
import KernelKit
import MachineLimits
import MeasurementKit
import ProcessKit
import WorkerProtocol

package enum Worker {
  /// Measures the cells of `request` in this build; writes one `WorkerEvent`
  /// per line to standard output, progress to standard error.
  package static func main(_ request: MeasureRequest) -> Int32 {
    let encoder = JSONEncoder()
    func emit(_ event: WorkerEvent) {
      // One write(2) per line, unbuffered: a crash loses nothing already said.
      guard var data = try? encoder.encode(event) else { return }
      data.append(UInt8(ascii: "\n"))
      // When the reader is gone (the parent was interrupted or killed), exit
      // quietly instead of trapping: there is no one left to tell.
      guard writeAll(STDOUT_FILENO, data) else { exit(ExitStatus.cellFailed) }
    }
    var build = BuildInfo.current
    if let budget = request.limitsBudgetSeconds, Build.current.isOptimised {
      let progress = ProgressLine()
      progress.update("\(Build.current.rawValue): measuring this machine's limits…")
      build.limits = MachineLimits.measure(budgetSeconds: budget)
      progress.done()
    }
    emit(.build(build))
    var plan = MeasurementPlan(
      kernels: request.kernels.map(\.kernel), sizes: request.sizes,
      flavours: request.flavours, threads: request.threads,
      minTime: request.minTimeMilliseconds / 1000, sampling: SamplingPlan(forcedSamples: request.samples),
      excluded: Set(request.excluded), backend: request.backend, gil: request.gil,
      timeLimit: request.timeLimitSeconds, only: request.only.map(Set.init), slowdowns: request.slowdowns,
      processCells: ProcessCell.factory(binary: PackageLocation.currentExecutable(), timeLimit: request.timeLimitSeconds))
    // A test hook: SPEEDLADDER_CRASH_CELL=kernel/build/flavour/threads makes this
    // worker abort when it is about to run that cell, so tests can prove that a
    // crashing cell is reported FAIL while the others are still measured.
    plan.injections = request.injections
    plan.countFile = request.countFile
    plan.sampling = SamplingPlan.forLadder(
      cells: plan.cells, builds: request.builds, topThreads: request.topThreads, forcedSamples: request.samples)
    let crashCell = ProcessInfo.processInfo.environment["SPEEDLADDER_CRASH_CELL"].flatMap(CellID.init)
    let started = monotonicSeconds()
    let context = request.progressContext.map { context in
      {
        let left = context.secondsLeft.map { " · about \(formatDuration(max(0, $0 - (monotonicSeconds() - started)))) left" }
        return " · \(context.kernels)" + (left ?? "")
      }
    } ?? { "" }
    let runner = Runner(plan: plan, progress: ProgressLine(), context: context) { id in
      emit(.running(id))
      if id == crashCell { abort() }
    }
    // Each kernel's work at its size, once per kernel, after the timing. A debug
    // worker leaves it to an optimised build's worker when the run has one
    // (mandelbrot counts its iterations by running the scalar loop).
    let computesWork = request.countFile == nil && Build.current.isOptimised || !request.builds.contains(where: \.isOptimised)
    let kernels = Dictionary(request.kernels.map { ($0.kernel.name, $0.kernel) }, uniquingKeysWith: { first, _ in first })
    var work: [String: Work] = [:]
    for var cell in runner.run() {
      if computesWork, cell.statistics != nil, let kernel = kernels[cell.id.kernel] {
        cell.work = work[cell.id.kernel] ?? kernel.work(size: cell.size)
        work[cell.id.kernel] = cell.work
      }
      emit(.cell(cell))
    }
    return ExitStatus.success
  }
}
