// `benchmark worker`: measures this binary's build and streams JSON lines.

import Foundation
import Interpreters
import KernelKit
import Kernels
import MeasurementKit

package enum Worker {
  /// Measures the cells of `options` in this build; writes one `WorkerEvent`
  /// per line to standard output, progress to standard error.
  package static func main(_ options: RunPlan) throws -> Int32 {
    let encoder = JSONEncoder()
    func emit(_ event: WorkerEvent) {
      // One write(2) per line, unbuffered: a crash loses nothing already said.
      guard var data = try? encoder.encode(event) else { return }
      data.append(UInt8(ascii: "\n"))
      // When the reader is gone (the parent was interrupted or killed), exit
      // quietly instead of trapping: there is no one left to tell.
      guard writeAll(STDOUT_FILENO, data) else { exit(ExitStatus.cellFailed) }
    }
    emit(.build(.current))
    let plan = MeasurementPlan(
      kernels: options.kernels.map { kernel(named: $0)! }, sizes: try options.sizes(),
      flavours: options.flavours, threads: options.threads,
      minTime: options.minTimeMilliseconds / 1000, samples: options.samples,
      excluded: Set(options.excluded), backend: options.backend, gil: options.gil,
      timeLimit: options.timeLimitSeconds, only: options.onlyCells.map(Set.init), slowdowns: options.slowdowns,
      processCells: ProcessCell.factory(binary: PackageLocation.currentExecutable(), timeLimit: options.timeLimitSeconds))
    // A test hook: SPEEDLADDER_CRASH_CELL=kernel/build/flavour/threads makes this
    // worker abort when it is about to run that cell, so tests can prove that a
    // crashing cell is reported FAIL while the others are still measured.
    let crashCell = ProcessInfo.processInfo.environment["SPEEDLADDER_CRASH_CELL"].flatMap(CellID.init)
    let runner = Runner(plan: plan, progress: ProgressLine()) { id in
      emit(.running(id))
      if id == crashCell { abort() }
    }
    for cell in runner.run() { emit(.cell(cell)) }
    return ExitStatus.success
  }
}
