// spectral-norm, unsafe flavour. See Kernels/SpectralNorm.swift.

extension Unsafe {
  /// Entry (i, j) of the matrix, 0-based.
  ///
  /// Wrapping arithmetic is safe because the kernel takes n ≤ 65 536, so
  /// i + j < 2¹⁷ and (i + j)(i + j + 1) < 2³⁴, far from `Int.max`.
  @inline(__always)
  static func spectralNormEntry(_ i: Int, _ j: Int) -> Double {
    let ij = i &+ j
    return 1.0 / Double((ij &* (ij &+ 1)) / 2 &+ i &+ 1)
  }

  /// Rows `lo..<hi` of A·u into `out`; mirrors `ck_spectral_norm_a_times_u`.
  public static func spectralNormATimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    for i in lo..<hi {
      var sum = 0.0
      for j in 0..<n { sum += spectralNormEntry(i, j) * u[j] }
      out[i] = sum
    }
  }

  /// Rows `lo..<hi` of Aᵀ·u into `out`; mirrors `ck_spectral_norm_at_times_u`.
  public static func spectralNormAtTimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    for i in lo..<hi {
      var sum = 0.0
      for j in 0..<n { sum += spectralNormEntry(j, i) * u[j] }
      out[i] = sum
    }
  }

  /// The dot product of two n-vectors, added in index order; mirrors `ck_spectral_norm_dot`.
  public static func spectralNormDot(
    _ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>
  ) -> Double {
    var sum = 0.0
    for i in 0..<n { sum += a[i] * b[i] }
    return sum
  }
}
