// The ladder of each kernel and how its steps compound across kernels.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// One step of the ladder: from one configuration to the next.
package struct LadderStep: Sendable {
  package var name: String
  package var what: String
  package var from: (Build, Flavour, threads: Int)
  package var to: (Build, Flavour, threads: Int)
}

extension RunResults {
  /// "All cores" in the ladder: the largest thread count measured that the
  /// machine's cores can run at once (a sweep's 2 × cores oversubscribes).
  package var topThreads: Int {
    let within = settings.threads.filter { $0 <= provenance.cores }
    return within.count > 1 ? within.max()! : (settings.threads.max() ?? 1)
  }

  /// The ladder's rungs: debug idiomatic 1 → release idiomatic 1 → release
  /// unsafe 1 → release C 1 → release C on all cores.
  package var ladderSteps: [LadderStep] {
    let n = topThreads
    var steps = [
      LadderStep(
        name: "compiler", what: "debug → release, idiomatic, 1 thread",
        from: (.debug, .idiomatic, 1), to: (.release, .idiomatic, 1)),
      LadderStep(
        name: "unsafe", what: "idiomatic → unsafe Swift, release, 1 thread",
        from: (.release, .idiomatic, 1), to: (.release, .unsafe, 1)),
      LadderStep(
        name: "C", what: "unsafe Swift → C, release, 1 thread",
        from: (.release, .unsafe, 1), to: (.release, .c, 1)),
    ]
    if n > 1 {
      steps.append(
        LadderStep(
          name: "\(n) cores", what: "1 → \(n) threads, release C",
          from: (.release, .c, 1), to: (.release, .c, n)))
    }
    return steps
  }

  /// The cell ids of a kernel's ladder, in order.
  package func ladder(for kernel: String) -> [CellID] {
    var ids = [CellID(kernel: kernel, flavour: .idiomatic, build: .debug, threads: 1)]
    for step in ladderSteps {
      ids.append(CellID(kernel: kernel, flavour: step.to.1, build: step.to.0, threads: step.to.threads))
    }
    return ids
  }

  /// Median seconds of a cell that was measured and verified.
  package func median(_ id: CellID) -> Double? { cell(id)?.median }

  /// Speed-up of `to` over `from` (time of `from` ÷ time of `to`).
  package func speedup(from: CellID, to: CellID) -> Double? {
    guard let a = median(from), let b = median(to), b > 0 else { return nil }
    return a / b
  }

  /// A multi-thread cell's speed-up over the same build and flavour on one thread.
  package func threadSpeedup(_ id: CellID) -> Double? {
    guard id.threads > 1 else { return nil }
    var single = id
    single.threads = 1
    return speedup(from: single, to: id)
  }
}

/// A step's gain summarised over kernels.
package struct StepSummary: Sendable {
  package var step: LadderStep
  /// Per kernel, in catalogue order; kernels missing either cell are left out.
  package var gains: [(kernel: String, gain: Double)]

  package var geometricMean: Double { MeasurementKit.geometricMean(gains.map(\.gain)) }
  package var least: (kernel: String, gain: Double)? { gains.min { $0.gain < $1.gain } }
  package var most: (kernel: String, gain: Double)? { gains.max { $0.gain < $1.gain } }
  /// Kernels on which the step changes the time by less than 5% or slows it down.
  package var buysNothingOn: [String] { gains.filter { $0.gain < 1.05 }.map(\.kernel) }
}

extension RunResults {
  /// Every ladder step summarised over the kernels that have both its cells.
  package var compounding: [StepSummary] {
    ladderSteps.map { step in
      // I/O-bound kernels (latency) stay out: compiling cannot speed up waiting.
      let gains = kernels.filter { Kernels.kernel(named: $0)?.isIOBound != true }.compactMap {
        kernel -> (String, Double)? in
        let from = CellID(kernel: kernel, flavour: step.from.1, build: step.from.0, threads: step.from.threads)
        let to = CellID(kernel: kernel, flavour: step.to.1, build: step.to.0, threads: step.to.threads)
        return speedup(from: from, to: to).map { (kernel, $0) }
      }
      return StepSummary(step: step, gains: gains)
    }
  }
}
