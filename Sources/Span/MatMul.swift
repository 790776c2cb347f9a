// matmul, span flavour. See Kernels/MatMul.swift.

extension Spans {
  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices into `c`, which
  /// holds exactly those rows; mirrors `Unsafe.matmulRows`.
  ///
  /// The same i-k-j order. Row i of A and row k of B are spans of exactly n
  /// (`extracting` checks the range once a row), and so is row i of C: with
  /// every count equal to the loop's, the inner loop has no check and
  /// vectorises as the unsafe one does. Narrowing C to its row takes
  /// `_mutatingExtracting`, the name Swift 6.3 gives `MutableSpan`'s
  /// `extracting` (deprecated under that name); addressing the row by offset
  /// into `c` instead leaves a checked scalar loop after the vector loop.
  public static func matmulRows(
    _ n: Int, _ lo: Int, _ hi: Int, _ a: Span<Double>, _ b: Span<Double>, _ c: inout MutableSpan<Double>
  ) {
    precondition(0 <= lo && lo <= hi && a.count == n * n && b.count == n * n, "bad matrices")
    precondition(c.count == (hi - lo) * n, "rows out of range")
    for i in lo..<hi {
      let ai = a.extracting((i * n)..<(i * n + n))
      let ci = (i - lo) * n
      var row = c._mutatingExtracting(ci..<(ci + n))
      for j in 0..<row.count { row[j] = 0 }
      for k in 0..<n {
        let aik = ai[k]
        let bk = b.extracting((k * n)..<(k * n + n))
        for j in 0..<row.count { row[j] += aik * bk[j] }
      }
    }
  }
}
