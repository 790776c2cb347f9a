// The ladder of each kernel and how its steps compound across kernels.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// What a step of the ladder changes, in the order the steps are climbed.
package enum StepKind: Int, CaseIterable, Sendable, Comparable {
  case compiler, unsafe, c, vectors, targetCPU, cores

  package static func < (a: StepKind, b: StepKind) -> Bool { a.rawValue < b.rawValue }

  /// The step's name in tables: `compiler`, `C`, `target CPU`, `2 cores`.
  package func name(topThreads: Int) -> String {
    switch self {
    case .compiler: "compiler"
    case .unsafe: "unsafe"
    case .c: "C"
    case .vectors: "vectors"
    case .targetCPU: "target CPU"
    case .cores: "\(topThreads) cores"
    }
  }

  /// What the step changes, over every kernel that has it.
  package var what: String {
    switch self {
    case .compiler: "debug → release, idiomatic, 1 thread"
    case .unsafe: "idiomatic → unsafe Swift, release, 1 thread"
    case .c: "unsafe Swift → C, release, 1 thread"
    case .vectors: "scalar C → C vector extensions, release, 1 thread"
    case .targetCPU: "baseline x86-64 → this CPU's instructions, 1 thread"
    case .cores: "1 → all threads, the top flavour and build"
    }
  }
}

/// One step of the ladder: from one configuration to the next.
package struct LadderStep: Sendable {
  package var kind: StepKind
  package var name: String
  package var what: String
  package var from: (Build, Flavour, threads: Int)
  package var to: (Build, Flavour, threads: Int)

  package func fromID(_ kernel: String) -> CellID {
    CellID(kernel: kernel, flavour: from.1, build: from.0, threads: from.threads)
  }

  package func toID(_ kernel: String) -> CellID {
    CellID(kernel: kernel, flavour: to.1, build: to.0, threads: to.threads)
  }
}

extension RunResults {
  /// "All cores" in the ladder: the largest thread count measured that the
  /// machine's cores can run at once (a sweep's 2 × cores oversubscribes).
  package var topThreads: Int {
    let within = settings.threads.filter { $0 <= provenance.cores }
    return within.count > 1 ? within.max()! : (settings.threads.max() ?? 1)
  }

  /// A kernel's ladder: debug idiomatic 1 → release idiomatic 1 → release
  /// unsafe 1 → release C 1 → (release C vectors 1, where the kernel has a
  /// vector flavour) → (native, where that build was made) → all cores.
  /// A rung whose cell is absent or skipped (a native build this compiler
  /// could not make) is left out, and the climb goes on from the rung below.
  package func ladderSteps(for kernel: String) -> [LadderStep] {
    func present(_ build: Build, _ flavour: Flavour, _ threads: Int) -> Bool {
      cell(CellID(kernel: kernel, flavour: flavour, build: build, threads: threads)).map { !$0.skipped } ?? false
    }
    var steps = [
      LadderStep(
        kind: .compiler, name: StepKind.compiler.name(topThreads: topThreads), what: StepKind.compiler.what,
        from: (.debug, .idiomatic, 1), to: (.release, .idiomatic, 1)),
      LadderStep(
        kind: .unsafe, name: StepKind.unsafe.name(topThreads: topThreads), what: StepKind.unsafe.what,
        from: (.release, .idiomatic, 1), to: (.release, .unsafe, 1)),
      LadderStep(kind: .c, name: StepKind.c.name(topThreads: topThreads), what: StepKind.c.what, from: (.release, .unsafe, 1), to: (.release, .c, 1)),
    ]
    var top: (build: Build, flavour: Flavour) = (.release, .c)
    if present(.release, .cVector, 1) {
      steps.append(
        LadderStep(
          kind: .vectors, name: StepKind.vectors.name(topThreads: topThreads), what: StepKind.vectors.what, from: (.release, .c, 1),
          to: (.release, .cVector, 1)))
      top.flavour = .cVector
    }
    if present(.native, top.flavour, 1) {
      steps.append(
        LadderStep(
          kind: .targetCPU, name: StepKind.targetCPU.name(topThreads: topThreads), what: "release → native, \(top.flavour.displayName), 1 thread",
          from: (.release, top.flavour, 1), to: (.native, top.flavour, 1)))
      top.build = .native
    }
    let n = topThreads
    if n > 1 {
      steps.append(
        LadderStep(
          kind: .cores, name: StepKind.cores.name(topThreads: n),
          what: "1 → \(n) threads, \(top.build.rawValue) \(top.flavour.displayName)",
          from: (top.build, top.flavour, 1), to: (top.build, top.flavour, n)))
    }
    return steps
  }

  /// The cell ids of a kernel's ladder, in order.
  package func ladder(for kernel: String) -> [CellID] {
    [CellID(kernel: kernel, flavour: .idiomatic, build: .debug, threads: 1)]
      + ladderSteps(for: kernel).map { $0.toID(kernel) }
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

extension RunResults {
  /// The compute-bound kernels the compounding summary is over (I/O-bound ones
  /// such as latency stay out: compiling cannot speed up waiting).
  var compoundingKernels: [String] { kernels.filter { Kernels.kernel(named: $0)?.isIOBound != true } }

  /// Every kind of step summarised over the kernels whose ladder has it, with both cells measured.
  package var compounding: [StepSummary] {
    StepKind.allCases.map { kind in
      var gains: [(kernel: String, gain: Double)] = []
      for kernel in compoundingKernels {
        guard let step = ladderSteps(for: kernel).first(where: { $0.kind == kind }),
          let gain = speedup(from: step.fromID(kernel), to: step.toID(kernel))
        else { continue }
        gains.append((kernel, gain))
      }
      return StepSummary(kind: kind, name: kind.name(topThreads: topThreads), what: kind.what, gains: gains)
    }
  }

  /// Each kernel's whole climb: its first measured rung to its top measured
  /// rung, when those differ.
  package var climbs: [(kernel: String, from: CellID, to: CellID, gain: Double)] {
    compoundingKernels.compactMap { kernel in
      let measured = ladder(for: kernel).filter { median($0) != nil }
      guard let first = measured.first, let last = measured.last, first != last,
        let gain = speedup(from: first, to: last)
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
        median(CellID(kernel: kernel, flavour: .vector, build: $0, threads: 1)) != nil
          && median(CellID(kernel: kernel, flavour: .cVector, build: $0, threads: 1)) != nil
      }) {
        pairs.append(
          (
            CellID(kernel: kernel, flavour: .vector, build: build, threads: 1),
            CellID(kernel: kernel, flavour: .cVector, build: build, threads: 1)
          ))
      }
      for (swift, c) in pairs {
        guard let ratio = speedup(from: swift, to: c) else { continue }
        out.append((kernel, swift, c, ratio))
      }
    }
    return out
  }
}
