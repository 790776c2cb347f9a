// spectral-norm, span flavour. See Kernels/SpectralNorm.swift.

extension Spans {
  /// Entry (i, j) of the matrix, 0-based; see `Unsafe.spectralNormEntry`
  /// for why the wrapping arithmetic cannot wrap (n ≤ 65 536).
  @inline(__always)
  static func spectralNormEntry(_ i: Int, _ j: Int) -> Double {
    let ij = i &+ j
    return 1.0 / Double((ij &* (ij &+ 1)) / 2 &+ i &+ 1)
  }

  /// Rows `lo..<hi` of A·u into `out`, which holds exactly those rows;
  /// mirrors `Unsafe.spectralNormATimesU`.
  public static func spectralNormATimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: Span<Double>, _ out: inout MutableSpan<Double>
  ) {
    precondition(0 <= lo && lo <= hi && u.count == n && out.count == hi - lo, "rows out of range")
    for i in lo..<hi {
      var sum = 0.0
      for j in 0..<n { sum += spectralNormEntry(i, j) * u[j] }
      out[i - lo] = sum
    }
  }

  /// Rows `lo..<hi` of Aᵀ·u into `out`, which holds exactly those rows;
  /// mirrors `Unsafe.spectralNormAtTimesU`.
  public static func spectralNormAtTimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: Span<Double>, _ out: inout MutableSpan<Double>
  ) {
    precondition(0 <= lo && lo <= hi && u.count == n && out.count == hi - lo, "rows out of range")
    for i in lo..<hi {
      var sum = 0.0
      for j in 0..<n { sum += spectralNormEntry(j, i) * u[j] }
      out[i - lo] = sum
    }
  }

  /// The dot product of two n-vectors, added in index order; mirrors `Unsafe.spectralNormDot`.
  public static func spectralNormDot(_ n: Int, _ a: Span<Double>, _ b: Span<Double>) -> Double {
    precondition(a.count == n && b.count == n, "vectors of different lengths")
    var sum = 0.0
    for i in 0..<n { sum += a[i] * b[i] }
    return sum
  }
}
