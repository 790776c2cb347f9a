// matmul, idiomatic flavour. See Kernels/MatMul.swift.

import KernelKit

extension Idiomatic {
  /// C = A·B with matrices as arrays of rows, `[[Double]]`, the shape most
  /// Swift code gives a matrix.
  ///
  /// The loops are the textbook `c[i][j] += a[i][k] * b[k][j]` in i-k-j order
  /// (the order a programmer who knows rows are contiguous writes; i-j-k would
  /// walk down B's columns, one row array per step). Every `a[i][k]` and
  /// `b[k][j]` goes through two bounds-checked subscripts and an array
  /// header; hoisting `a[i]` and `b[k]` out of the loops is left to the optimiser.
  public final class MatMul {
    public let a: [[Double]]
    public let b: [[Double]]
    /// Chunks of rows; depends only on n.
    public let chunks: Int
    public private(set) var c: [[Double]] = []

    /// `a` and `b` are n×n, row-major, flat; they become arrays of rows.
    public init(n: Int, a: [Double], b: [Double], chunks: Int) {
      precondition(n >= 1 && a.count == n * n && b.count == n * n && chunks >= 1, "bad matmul input")
      self.a = (0..<n).map { i in Array(a[i * n..<(i + 1) * n]) }
      self.b = (0..<n).map { i in Array(b[i * n..<(i + 1) * n]) }
      self.chunks = chunks
    }

    /// Each chunk returns its rows of C; the rows are joined in order.
    public func run(on executor: any ParallelExecutor) {
      let (a, b, chunks) = (a, b, chunks)
      c = executor.map(chunks) { chunk in
        chunkRange(chunk, of: chunks, total: a.count).map { i in Self.row(i, a, b) }
      }.flatMap { $0 }
    }

    /// Row `i` of A·B.
    static func row(_ i: Int, _ a: [[Double]], _ b: [[Double]]) -> [Double] {
      var row = [Double](repeating: 0, count: b[0].count)
      for k in a[i].indices {
        for j in row.indices {
          row[j] += a[i][k] * b[k][j]
        }
      }
      return row
    }
  }
}
