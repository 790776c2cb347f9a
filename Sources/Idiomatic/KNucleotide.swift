// k-nucleotide, idiomatic flavour. See Kernels/KNucleotide.swift.

import KernelKit

extension Idiomatic {
  /// k-mer counts in `[Substring: Int]`, the first thing a Swift programmer
  /// writes: the sequence is a `String`, a k-mer is a slice of it, the standard
  /// Dictionary counts.
  ///
  /// Positions are walked through the `utf8` view, whose index arithmetic is
  /// O(1) on a native string (`index(_:offsetBy:)` on the String itself walks
  /// Characters, O(n) per chunk start). What it pays: SipHash-1-3 over the
  /// k-mer's bytes on every lookup, String equality on collisions, a retain and
  /// release of the sequence's storage for each Substring, and rehashing as the
  /// Dictionary doubles.
  public final class KNucleotide {
    public let sequence: String
    public let ks: [Int]
    public let slices: Int
    /// One table per k, in `ks` order (empty until `run`).
    public private(set) var tables: [[Substring: Int]]

    public init(sequence: [UInt8], ks: [Int], slices: Int) {
      precondition(ks.allSatisfy { $0 >= 1 && $0 <= sequence.count }, "k must be in 1...n")
      precondition(slices >= 1, "need at least one slice")
      self.sequence = String(decoding: sequence, as: UTF8.self)
      self.ks = ks
      self.slices = slices
      tables = ks.map { _ in [:] }
    }

    /// Phase 1: chunk i counts the k-mers of k = ks[i / slices] that start in
    /// slice i % slices. Phase 2: one chunk per k merges its slices in order.
    public func run(on executor: any ParallelExecutor) {
      let (sequence, ks, slices) = (sequence, ks, slices)
      let n = sequence.utf8.count
      let partials = executor.map(ks.count * slices) { i in
        let k = ks[i / slices]
        return Self.count(sequence, k: k, starts: chunkRange(i % slices, of: slices, total: n - k + 1))
      }
      tables = executor.map(ks.count) { kIndex in
        var merged = partials[kIndex * slices]
        for slice in 1..<slices {
          merged.merge(partials[kIndex * slices + slice]) { $0 + $1 }
        }
        return merged
      }
    }

    /// The counts of the k-mers of `sequence` that start at `starts`.
    static func count(_ sequence: String, k: Int, starts: Range<Int>) -> [Substring: Int] {
      let utf8 = sequence.utf8
      var counts: [Substring: Int] = [:]
      var start = utf8.index(utf8.startIndex, offsetBy: starts.lowerBound)
      for _ in starts {
        let end = utf8.index(start, offsetBy: k)
        counts[sequence[start..<end], default: 0] += 1
        start = utf8.index(after: start)
      }
      return counts
    }
  }
}
