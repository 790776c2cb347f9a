// The ladder of each kernel in one run, and how its steps compound across kernels.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// One run read as ladders: each kernel's rungs and steps (`Ladder.standard`)
/// as far as the run measured them, and each kind of step summarised over the
/// kernels.
package struct LadderView: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// A kernel's ladder (`Ladder.standard`) in this run: a rung whose cell is
  /// absent or skipped (a native build this compiler could not make) is left
  /// out where the definition says so, and the climb goes on from the rung below.
  package func steps(for kernel: String) -> [LadderStep] {
    Ladder.standard.steps(of: kernel, topThreads: results.topThreads) { results.cell($0).map { !$0.skipped } ?? false }
  }

  /// The cell ids of a kernel's ladder, in order.
  package func rungs(for kernel: String) -> [CellID] {
    Ladder.standard.rungs(of: kernel, topThreads: results.topThreads) { results.cell($0).map { !$0.skipped } ?? false }
  }

  /// The compute-bound kernels the compounding summary is over (I/O-bound ones
  /// such as latency stay out: compiling cannot speed up waiting).
  var compoundingKernels: [String] { results.kernels.filter { Kernels.kernel(named: $0)?.isIOBound != true } }

  /// Every kind of step summarised over the kernels whose ladder has it, with both cells measured.
  package var compounding: [StepSummary] {
    Ladder.standard.steps.map { definition in
      var gains: [(kernel: String, gain: Double)] = []
      for kernel in compoundingKernels {
        guard let step = steps(for: kernel).first(where: { $0.kind == definition.kind }),
          let gain = results.speedup(from: step.fromID(kernel), to: step.toID(kernel))
        else { continue }
        gains.append((kernel, gain))
      }
      return StepSummary(
        kind: definition.kind, name: definition.name(results.topThreads), what: definition.summary, gains: gains)
    }
  }

  /// Each kernel's whole climb: its first measured rung to its top measured
  /// rung, when those differ.
  package var climbs: [(kernel: String, from: CellID, to: CellID, gain: Double)] {
    compoundingKernels.compactMap { kernel in
      let measured = rungs(for: kernel).filter { results.median($0) != nil }
      guard let first = measured.first, let last = measured.last, first != last,
        let gain = results.speedup(from: first, to: last)
      else { return nil }
      return (kernel, first, last, gain)
    }
  }

  /// Where Swift and C take more than 10% apart at the same level: unsafe vs
  /// C (release, 1 thread) and the vector flavours (in the top build that
  /// has both, 1 thread). Positive: Swift slower.
  package var swiftVersusC: [(kernel: String, swift: CellID, c: CellID, ratio: Double)] {
    var out: [(kernel: String, swift: CellID, c: CellID, ratio: Double)] = []
    for kernel in compoundingKernels {
      let scalar = (
        CellID(kernel: kernel, flavour: .unsafe, build: .release, threads: 1),
        CellID(kernel: kernel, flavour: .c, build: .release, threads: 1)
      )
      var pairs = [scalar]
      if let build = [Build.native, .release].first(where: {
        results.median(CellID(kernel: kernel, flavour: .vector, build: $0, threads: 1)) != nil
          && results.median(CellID(kernel: kernel, flavour: .cVector, build: $0, threads: 1)) != nil
      }) {
        pairs.append(
          (
            CellID(kernel: kernel, flavour: .vector, build: build, threads: 1),
            CellID(kernel: kernel, flavour: .cVector, build: build, threads: 1)
          ))
      }
      for (swift, c) in pairs {
        guard let ratio = results.speedup(from: swift, to: c) else { continue }
        out.append((kernel, swift, c, ratio))
      }
    }
    return out
  }
}

/// A step's gain summarised over the kernels that have it.
package struct StepSummary: Sendable {
  package var kind: StepKind
  package var name: String
  package var what: String
  /// Per kernel, in catalogue order; kernels missing either cell are left out.
  package var gains: [(kernel: String, gain: Double)]

  package var geometricMean: Double { MeasurementKit.geometricMean(gains.map(\.gain)) }
  package var least: (kernel: String, gain: Double)? { gains.min { $0.gain < $1.gain } }
  package var most: (kernel: String, gain: Double)? { gains.max { $0.gain < $1.gain } }
  /// Kernels on which the step changes the time by less than 5% or slows it down.
  package var buysNothingOn: [String] { gains.filter { $0.gain < 1.05 }.map(\.kernel) }
}
