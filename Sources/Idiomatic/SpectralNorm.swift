// spectral-norm, idiomatic flavour. See Kernels/SpectralNorm.swift.

import KernelKit

extension Idiomatic {
  /// The Benchmarks Game's power method on `[Double]` vectors: every
  /// matrix-vector product maps chunks of rows to arrays and joins them.
  public final class SpectralNorm {
    public let n: Int
    /// Chunks of rows per product; depends only on `n`.
    public let chunks: Int
    public private(set) var norm = 0.0

    public init(n: Int, chunks: Int) {
      precondition(n >= 1 && chunks >= 1, "bad spectral-norm parameters")
      self.n = n
      self.chunks = chunks
    }

    public func run(on executor: any ParallelExecutor) {
      var u = [Double](repeating: 1, count: n)
      var v: [Double] = []
      for _ in 0..<10 {
        v = timesAtA(u, on: executor)
        u = timesAtA(v, on: executor)
      }
      let vBv = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
      let vv = v.reduce(0) { $0 + $1 * $1 }
      norm = (vBv / vv).squareRoot()
    }

    /// AᵀA·u, as two products with one barrier after each.
    func timesAtA(_ u: [Double], on executor: any ParallelExecutor) -> [Double] {
      transposedTimes(times(u, on: executor), on: executor)
    }

    /// A·u.
    func times(_ u: [Double], on executor: any ParallelExecutor) -> [Double] {
      let chunks = self.chunks
      return executor.map(chunks) { chunk in
        chunkRange(chunk, of: chunks, total: u.count).map { i in
          var sum = 0.0
          for (j, uj) in u.enumerated() { sum += Self.entry(i, j) * uj }
          return sum
        }
      }.flatMap { $0 }
    }

    /// Aᵀ·u.
    func transposedTimes(_ u: [Double], on executor: any ParallelExecutor) -> [Double] {
      let chunks = self.chunks
      return executor.map(chunks) { chunk in
        chunkRange(chunk, of: chunks, total: u.count).map { i in
          var sum = 0.0
          for (j, uj) in u.enumerated() { sum += Self.entry(j, i) * uj }
          return sum
        }
      }.flatMap { $0 }
    }

    /// Entry (i, j) of the matrix, 0-based. The integer arithmetic is
    /// overflow-checked, as all Swift `Int` arithmetic is.
    static func entry(_ i: Int, _ j: Int) -> Double {
      let denominator = (i + j) * (i + j + 1) / 2 + i + 1
      return 1.0 / Double(denominator)
    }
  }
}
