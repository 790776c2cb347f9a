// `--inject-slowdown KERNEL/FLAVOUR=FACTOR`: an honest regression, for proving gates.

import Foundation
import KernelKit

/// A request to make one kernel × flavour do `factor` times its real work, in
/// every build and thread count it is measured in. It exists to prove that a
/// timing gate catches a regression of known size; it is never a sleep, so the
/// slowed cell burns real CPU exactly as a slower implementation would.
package struct Slowdown: Equatable, Sendable, Codable, CustomStringConvertible {
  package var kernel: String
  package var flavour: Flavour
  /// ≥ 1: average kernel runs per timed run.
  package var factor: Double

  package init(kernel: String, flavour: Flavour, factor: Double) {
    self.kernel = kernel
    self.flavour = flavour
    self.factor = factor
  }

  /// `mandelbrot/unsafe=1.25`, as written on the command line.
  package var description: String { "\(kernel)/\(flavour.rawValue)=\(factor)" }

  /// The most a slowdown may be: enough to prove any gate, small enough that a
  /// typo (`125` for `1.25`) does not run for hours.
  package static let maxFactor = 100.0

  /// The note a slowed cell carries in every report.
  var note: String {
    "slowed \(significant(factor))× by --inject-slowdown (does \(significant(factor))× its real work)"
  }
}

/// Runs the wrapped workload `factor` times per `run` on average: once, plus
/// extra whole runs whenever a fractional accumulator reaches one. With 1.25
/// every fourth call runs twice — real computation, verified like any other
/// run, not a sleep. A timed sample must span whole periods (4 calls for
/// 1.25) for its work to be exactly `factor`×: the runner rounds the sample's
/// run count up to a multiple of `period` and calls `startSample()` first;
/// otherwise a median of one-call samples would simply skip the slow calls.
final class SlowedWorkload: Workload {
  let inner: any Workload
  let factor: Double
  /// Calls after which the extra runs add up to a whole number: the smallest
  /// q with factor × q an integer (4 for 1.25, 1 for 2), at most 1000.
  let period: Int
  /// Extra work owed, in runs; always in 0..<1 between calls.
  private var owed = 0.0

  init(_ inner: any Workload, factor: Double) {
    precondition(factor >= 1, "a slowdown cannot do less than the real work")
    self.inner = inner
    self.factor = factor
    period = (1...1000).first { q in
      let work = factor * Double(q)
      return abs(work - work.rounded()) < 1e-6
    } ?? 1000
  }

  /// Starts a timed sample at the beginning of a period.
  func startSample() { owed = 0 }

  package func run(on executor: any ParallelExecutor) {
    inner.run(on: executor)
    owed += factor - 1
    // The tolerance absorbs rounding in factors such as 1.1 (0.1 is not exact in binary).
    while owed >= 1 - 1e-9 {
      inner.run(on: executor)
      owed -= 1
    }
  }

  func result() -> KernelResult { inner.result() }

  /// As the runner times it: whole periods per sample, each starting a period.
  var timed: TimedWorkload {
    var timed = TimedWorkload(self)
    timed.period = period
    timed.startSample = { [self] in startSample() }
    return timed
  }
}
