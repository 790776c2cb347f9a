// matmul, unsafe flavour. See Kernels/MatMul.swift.

extension Unsafe {
  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices; mirrors `ck_matmul_rows`.
  ///
  /// The i-k-j order: row i of C is zeroed, then gains `a[i][k]` times row k
  /// of B for every k. The inner loop walks two contiguous rows with a
  /// loop-invariant scalar, which LLVM vectorises (after a runtime check that
  /// `c` does not overlap `b`; C's `restrict` promises that instead).
  public static func matmulRows(
    _ n: Int, _ lo: Int, _ hi: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    for i in lo..<hi {
      let ai = a + i * n
      let ci = c + i * n
      ci.update(repeating: 0, count: n)
      for k in 0..<n {
        let aik = ai[k]
        let bk = b + k * n
        for j in 0..<n { ci[j] += aik * bk[j] }
      }
    }
  }
}
