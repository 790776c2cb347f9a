// What the runner times: a kernel's workload, and what a wrapper around it
// needs the runner to know (whole periods per sample, a failure outside the
// kernel, notes), without the runner knowing what kind of wrapper it is.

import KernelKit

/// A workload as the runner sees it.
///
/// A plain kernel workload needs none of the hooks. `--inject-slowdown`
/// (`SlowedWorkload`) needs samples to span whole periods and to start at the
/// beginning of one; the process backend's cells (module Workers) can fail
/// outside the kernel and measure their start-up apart.
package struct TimedWorkload {
  package let workload: any Workload
  /// A sample's run count is rounded up to a multiple of this.
  package var period = 1
  /// Called before each timed sample.
  package var startSample: () -> Void = {}
  /// Why the last run failed outside the kernel, if it did.
  package var failure: () -> String? = { nil }
  /// Remarks for the cell's report, read after sampling.
  package var notes: () -> [String] = { [] }
  /// Medians of start-up and compute seconds per run, for workloads that measure them apart.
  package var phases: () -> (startup: Double, compute: Double)? = { nil }

  package init(_ workload: any Workload) { self.workload = workload }

  package func run(on executor: any ParallelExecutor) { workload.run(on: executor) }
  package func result() -> KernelResult { workload.result() }
}

/// Makes the process backend's workload for a multi-thread cell, or nil
/// where it cannot; provided by the Workers module.
package typealias ProcessCellFactory = (CellID, any IndependentChunks, Int) -> TimedWorkload?

// MARK: - Calibration

/// The one calibration loop: warm up, then choose how many runs make a
/// sample last at least the minimum time. The runner and the concurrency
/// lessons both use it.
package enum Calibration {
  /// Runs `run` (which returns one run's seconds) until about `minTime` of
  /// warm-up has passed or one run lasts `minTime`; `warmUp: false` trusts
  /// `firstRun` instead (a long debug cell is warm after its first run).
  /// Returns the last run's seconds and the runs per sample, a multiple of `period`.
  package static func calibrate(
    firstRun: Double, minTime: Double, period: Int = 1, warmUp: Bool = true, run: () -> Double
  ) -> (perRun: Double, runsPerSample: Int) {
    var perRun = firstRun
    if warmUp {
      var warm = 0.0
      repeat {
        perRun = run()
        warm += perRun
      } while warm < minTime && perRun < minTime
    }
    let runs = max(1, Int((minTime / max(perRun, 1e-9)).rounded(.up)))
    let periods = max(1, Int((Double(runs) / Double(period)).rounded(.up)))
    return (perRun, periods * period)
  }
}
