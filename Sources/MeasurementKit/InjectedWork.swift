// `--inject-work KERNEL/FLAVOUR=WHAT`: extra work inside a cell's timed
// region, for proving gates on instruction counts and showing where counts mislead.

import Foundation
import KernelKit

/// What `--inject-work` adds to every run of one kernel × flavour, after the
/// kernel's own run, inside the timed (and counted) region.
package struct WorkInjection: Equatable, Sendable, Codable, CustomStringConvertible {
  package enum Kind: Equatable, Sendable, Codable {
    /// An extra loop costing this fraction of a run (0.02 for `+2%`):
    /// measured in instructions in a counted worker, in seconds otherwise.
    case loop(Double)
    /// A pass over a 64 MiB buffer costing `passFraction` of a run, walked in
    /// order (`sequential`: the prefetcher hides it) or a page apart
    /// (`scattered`: every access misses the caches and the TLB). Both
    /// execute the same instructions; only where they read differs.
    case pass(scattered: Bool)
  }

  package var kernel: String
  package var flavour: Flavour
  package var kind: Kind

  package init(kernel: String, flavour: Flavour, kind: Kind) {
    (self.kernel, self.flavour, self.kind) = (kernel, flavour, kind)
  }

  /// The share of a run a pass costs when walked in order (calibrated like the loop).
  package static let passFraction = 0.02

  package var description: String {
    let what: String
    switch kind {
    case .loop(let fraction): what = "+\(significant(fraction * 100))%"
    case .pass(let scattered): what = scattered ? "scattered-pass" : "sequential-pass"
    }
    return "\(kernel)/\(flavour.rawValue)=\(what)"
  }

  /// The note an injected cell carries in every report.
  var note: String {
    switch kind {
    case .loop(let fraction):
      "\(significant(fraction * 100))% more work injected by --inject-work (an extra loop in the timed region)"
    case .pass(let scattered):
      "a \(scattered ? "scattered" : "sequential") pass over 64 MiB injected by --inject-work (same instructions either way)"
    }
  }
}

/// A workload that runs its kernel, then the injected work. The injected
/// work is calibrated once after the cell's verifying run (`calibrate`):
/// until then it adds nothing, so the answer verified is the kernel's own.
final class InjectedWorkload: Workload {
  let inner: any Workload
  let injection: WorkInjection
  /// Loop iterations or pass accesses per run; 0 before calibration.
  private(set) var steps = 0
  /// Keeps the loop's and the pass's results alive, so neither is deleted.
  private var sink: UInt64 = 0
  /// The pass's buffer (64 MiB of UInt32, far larger than any cache here).
  private var buffer: [UInt32] = []
  /// Where the next pass starts: each run's pass goes on from where the last
  /// one stopped, so a scattered pass keeps reaching lines no cache holds
  /// (starting each run at 0 would revisit the same few lines, cached after
  /// the first run). The instructions do not depend on where it starts.
  private var passIndex = 0

  static let bufferCount = 1 << 24
  /// A scattered pass's step: 17 pages and 16 words, so every access touches
  /// a new cache line and a new page, in an order no prefetcher follows.
  static let scatteredStride = 17 * 1024 + 16

  init(_ inner: any Workload, injection: WorkInjection) {
    self.inner = inner
    self.injection = injection
    if case .pass = injection.kind {
      // One write a page makes every page its own (untouched zeroed pages
      // would all read the kernel's one zero page, and never miss); writing
      // every word would cost minutes in a debug build under valgrind.
      buffer = [UInt32](repeating: 0, count: Self.bufferCount)
      for page in stride(from: 0, to: Self.bufferCount, by: 1024) { buffer[page] = UInt32(truncatingIfNeeded: page | 1) }
    }
  }

  func run(on executor: any ParallelExecutor) {
    inner.run(on: executor)
    extra(steps)
  }

  func result() -> KernelResult { inner.result() }

  /// The injected work, `steps` of it.
  private func extra(_ steps: Int) {
    guard steps > 0 else { return }
    switch injection.kind {
    case .loop: sink &+= Self.spin(steps, seed: sink | 1)
    case .pass(let scattered):
      let walked = buffer.withUnsafeBufferPointer {
        Self.walk($0, steps: steps, stride: scattered ? Self.scatteredStride : 1, from: passIndex)
      }
      sink &+= walked.sum
      passIndex = walked.next
    }
  }

  /// xorshift64 steps: each depends on the last, so the loop cannot be
  /// folded away or shortened; a fixed handful of instructions a step.
  @inline(never)
  static func spin(_ steps: Int, seed: UInt64) -> UInt64 {
    var x = seed
    for _ in 0..<steps {
      x ^= x << 13
      x ^= x >> 7
      x ^= x << 17
    }
    return x
  }

  /// Sums `steps` words of `buffer`, `stride` words apart (wrapping), from
  /// word `start`: the same instructions for any stride and start. Returns
  /// the sum and where the next walk goes on.
  @inline(never)
  static func walk(_ buffer: UnsafeBufferPointer<UInt32>, steps: Int, stride: Int, from start: Int = 0) -> (sum: UInt64, next: Int) {
    let mask = buffer.count - 1  // a power of two
    var index = start & mask
    var sum: UInt64 = 0
    for _ in 0..<steps {
      // In bounds: index is masked into 0..<count.
      sum &+= UInt64(buffer[index])
      index = (index &+ stride) & mask
    }
    return (sum, index)
  }

  /// Chooses `steps` so the injected work costs its fraction of one run.
  /// `cost` runs a body and returns what it cost (instructions in a counted
  /// worker, seconds otherwise). A pass is calibrated walking in order, so a
  /// scattered pass executes exactly the instructions a sequential one does.
  func calibrate(on executor: any ParallelExecutor, cost: (() -> Void) -> Double) {
    let fraction: Double
    switch injection.kind {
    case .loop(let f): fraction = f
    case .pass: fraction = WorkInjection.passFraction
    }
    let run = cost { inner.run(on: executor) }
    let probe = 1 << 18
    let probeCost: Double
    switch injection.kind {
    case .loop: probeCost = cost { sink &+= Self.spin(probe, seed: sink | 1) }
    case .pass: probeCost = cost { sink &+= buffer.withUnsafeBufferPointer { Self.walk($0, steps: probe, stride: 1).sum } }
    }
    steps = probeCost > 0 ? max(1, Int((fraction * run / (probeCost / Double(probe))).rounded())) : 0
  }
}
