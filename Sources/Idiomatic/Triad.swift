// triad, idiomatic flavour. See Kernels/Triad.swift.

import KernelKit

extension Idiomatic {
  /// STREAM's triad `a[i] = b[i] + s·c[i]` over `[Double]`.
  ///
  /// On one thread a Swift programmer writes the in-place loop
  /// `for i in a.indices { a[i] = b[i] + s * c[i] }`. Chunks on several threads
  /// cannot share that loop: Swift arrays are values, and letting threads write
  /// disjoint parts of one needs `withUnsafeMutableBufferPointer`, which is the
  /// unsafe flavour's business. So each chunk maps its index range into a fresh
  /// array, and the pieces are copied into `a` in chunk order. That is the honest
  /// idiomatic cost: an allocation per chunk and repetition, one more write and
  /// read of n doubles, and a copy that runs on one thread.
  public final class Triad {
    public let b: [Double]
    public let c: [Double]
    public let scalar: Double
    public let repetitions: Int
    public let chunks: Int
    public private(set) var a: [Double]

    public init(b: [Double], c: [Double], scalar: Double, repetitions: Int, chunks: Int) {
      precondition(b.count == c.count, "b and c must have the same length")
      precondition(repetitions >= 1 && chunks >= 1, "need at least one repetition and one chunk")
      self.b = b
      self.c = c
      self.scalar = scalar
      self.repetitions = repetitions
      self.chunks = chunks
      a = Array(repeating: 0, count: b.count)
    }

    public func run(on executor: any ParallelExecutor) {
      let (b, c, s, n, chunks) = (b, c, scalar, a.count, chunks)
      for _ in 0..<repetitions {
        let pieces = executor.map(chunks) { i in
          chunkRange(i, of: chunks, total: n).map { j in b[j] + s * c[j] }
        }
        for (i, piece) in pieces.enumerated() {
          a.replaceSubrange(chunkRange(i, of: chunks, total: n), with: piece)
        }
      }
    }
  }
}
