// How far each rung is from CPython: the comparisons Python users make,
// summarised over kernels like a ladder step.

import Foundation
import KernelKit
import MeasurementKit

/// A rung of any kind, for comparisons that cross from Python to Swift.
package enum Rung: Hashable, Sendable, CustomStringConvertible {
  case swift(Build, Flavour, threads: Int)
  case python(Implementation, PythonMode, workers: Int)

  package var description: String {
    switch self {
    case .swift(let build, let flavour, let threads): "\(build.rawValue)·\(flavour.rawValue)·\(threads)"
    case .python(let implementation, let mode, let workers):
      InterpretedID(kernel: "", implementation: implementation, mode: mode, workers: workers).rung
    }
  }

  /// Median seconds of this rung's verified cell of `kernel` in `results`, Swift or interpreted.
  package func median(of kernel: String, in results: RunResults) -> Double? {
    switch self {
    case .swift(let build, let flavour, let threads):
      results.median(CellID(kernel: kernel, flavour: flavour, build: build, threads: threads))
    case .python(let implementation, let mode, let workers):
      results.interpreted?.first {
        $0.id == InterpretedID(kernel: kernel, implementation: implementation, mode: mode, workers: workers)
      }?.median
    }
  }
}

/// A comparison between two rungs, summarised over kernels like a ladder step.
package struct RungComparison: Sendable {
  package var name: String
  package var what: String
  package var from: Rung
  package var to: Rung
  /// Per kernel, in report order; kernels missing either cell are left out.
  package var gains: [(kernel: String, gain: Double)]

  package var geometricMean: Double { MeasurementKit.geometricMean(gains.map(\.gain)) }
}

/// What Python users compare, in one run: CPython against each other rung.
package struct PythonComparisons: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// What Python users compare: CPython against PyPy, Cython, mypyc, NumPy,
  /// Numba (one thread and all cores), the Mojo ports (scalar, SIMD, SIMD on
  /// all cores), Swift debug and release C on all cores.
  /// Empty when the run has no CPython cell.
  package var comparisons: [RungComparison] {
    guard results.interpreted?.contains(where: { $0.id.implementation == .cpython && $0.median != nil }) == true
    else { return [] }
    let cpython = Rung.python(.cpython, .serial, workers: 1)
    let topThreads = results.topThreads
    let kernels = InterpretedTable(results).reportKernels
    let candidates: [(String, String, Rung)] = [
      ("PyPy", "CPython → PyPy, same source", .python(.pypy, .serial, workers: 1)),
      ("Cython", "CPython → typed Cython module", .python(.cython, .serial, workers: 1)),
      ("mypyc", "CPython → same source compiled by mypyc", .python(.mypyc, .serial, workers: 1)),
      ("NumPy", "CPython → NumPy arrays", .python(.numpy, .serial, workers: 1)),
      ("Numba", "CPython → @njit, one thread", .python(.numba, .serial, workers: 1)),
      ("Numba parallel", "CPython → numba·parallel·\(numbaWorkers)", .python(.numba, .parallel, workers: numbaWorkers)),
      ("Mojo", "CPython → Mojo port, scalar, one thread", .python(.mojo, .serial, workers: 1)),
      ("Mojo SIMD", "CPython → Mojo port, SIMD, one thread", .python(.mojoSIMD, .serial, workers: 1)),
      ("Mojo parallel", "CPython → mojo-simd·parallel·\(numbaWorkers)", .python(.mojoSIMD, .parallel, workers: numbaWorkers)),
      ("Swift debug", "CPython → debug·idiomatic·1", .swift(.debug, .idiomatic, threads: 1)),
      ("Swift release", "CPython → release·idiomatic·1", .swift(.release, .idiomatic, threads: 1)),
      ("all cores", "CPython → release·c·\(topThreads)", .swift(.release, .c, threads: topThreads)),
    ]
    return candidates.map { name, what, to in
      let gains = kernels.compactMap { kernel -> (String, Double)? in
        guard let a = cpython.median(of: kernel, in: results), let b = to.median(of: kernel, in: results), b > 0
        else { return nil }
        return (kernel, a / b)
      }
      return RungComparison(name: name, what: what, from: cpython, to: to, gains: gains)
    }.filter { !$0.gains.isEmpty }
  }

  /// The workers of the run's parallel cells, Numba's and Mojo's (all its cores).
  private var numbaWorkers: Int {
    results.interpreted?.first { $0.id.mode == .parallel }?.id.workers ?? results.topThreads
  }

  /// How far each rung is from CPython, over the kernels that have both cells.
  package var text: String {
    let comparisons = self.comparisons
    guard !comparisons.isEmpty else { return "" }
    var out = "Beside Python (× over CPython on one core; geometric mean over kernels; least … most)\n"
    for comparison in comparisons {
      let least = comparison.gains.min { $0.gain < $1.gain }
      let most = comparison.gains.max { $0.gain < $1.gain }
      let range =
        if let least, let most, comparison.gains.count > 1 {
          "\(least.kernel) \(formatRatio(least.gain)) … \(most.kernel) \(formatRatio(most.gain))"
        } else {
          comparison.gains.first.map { "\($0.kernel) only" } ?? ""
        }
      out += "  " + comparison.name.padded(14) + formatRatio(comparison.geometricMean).leftPadded(8)
        + "   " + comparison.what.padded(40) + range + "\n"
    }
    return String(out.dropLast())
  }
}
