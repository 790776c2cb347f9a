// matmul, span flavour. See Kernels/MatMul.swift.

extension Spans {
  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices into `c`, which
  /// holds exactly those rows; mirrors `Unsafe.matmulRows`.
  ///
  /// The same i-k-j order. Row k of B and row i of C are taken once per row
  /// as spans of exactly n elements (`extracting` checks the range once), so
  /// the inner loop indexes both with j < n and the optimiser can drop its
  /// checks and vectorise; C's row is addressed by offset because a
  /// `MutableSpan` cannot be sub-spanned without giving up the whole.
  public static func matmulRows(
    _ n: Int, _ lo: Int, _ hi: Int, _ a: Span<Double>, _ b: Span<Double>, _ c: inout MutableSpan<Double>
  ) {
    precondition(0 <= lo && lo <= hi && a.count == n * n && b.count == n * n, "bad matrices")
    precondition(c.count == (hi - lo) * n, "rows out of range")
    for i in lo..<hi {
      let ai = a.extracting((i * n)..<(i * n + n))
      let ci = (i - lo) * n
      for j in 0..<n { c[ci + j] = 0 }
      for k in 0..<n {
        let aik = ai[k]
        let bk = b.extracting((k * n)..<(k * n + n))
        for j in 0..<n { c[ci + j] += aik * bk[j] }
      }
    }
  }
}
