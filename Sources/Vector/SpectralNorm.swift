// spectral-norm, vector flavour. See Kernels/SpectralNorm.swift.

extension Vector {
  /// Rows `lo..<hi` of A·u into `out`; mirrors `cv_spectral_norm_a_times_u`.
  ///
  /// Eight entries of a row at a time: lane k handles columns j ≡ k (mod 8) and
  /// keeps its own running sum; the eight sums are added pairwise at the end
  /// (`spectralNormSum`). That is a different order of additions from the
  /// scalar flavours' j = 0, 1, 2, …, so the norm differs from theirs in the
  /// last bits (see `SpectralNorm.tolerance`); the C vector flavour adds in this
  /// same order and agrees bit for bit.
  ///
  /// The entries themselves are the scalar flavours' exactly: the denominator
  /// (i+j)(i+j+1)/2 + i + 1 is computed in `Double` lanes, where every step is
  /// an integer below 2³⁵ and therefore exact (SSE2 has no 64-bit integer
  /// multiply, and the integer-to-double conversion would cost as much again),
  /// and then one vector divide makes eight entries. The divide is the cost:
  /// one per entry in every flavour, eight per instruction here, as wide as
  /// the target's divider goes.
  ///
  /// The index vector `ij` is carried from block to block (`ij += 8`) rather
  /// than rebuilt as `SIMD8(repeating: Double(i + j)) + lane`: the standard
  /// library's floating-point SIMD operators are element loops, and rebuilt
  /// from a scalar each block LLVM re-vectorised them into a tangle of
  /// blends and permutes around the divide, and Swift fell well behind C;
  /// carried, the loop is seven vector instructions and Swift matches C.
  public static func spectralNormATimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    let lane = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    for i in lo..<hi {
      let rowTerm = SIMD8<Double>(repeating: Double(i + 1))
      var ij = SIMD8<Double>(repeating: Double(i)) + lane
      var sum = SIMD8<Double>()
      var j = 0
      while j < n {
        let entry = 1.0 / (ij * (ij + 1.0) * 0.5 + rowTerm)
        sum += entry * spectralNormLoad(u, j, n)
        ij += 8
        j += 8
      }
      out[i] = spectralNormSum(sum)
    }
  }

  /// Rows `lo..<hi` of Aᵀ·u into `out`; mirrors `cv_spectral_norm_at_times_u`.
  /// Entry (j, i): the denominator's last term is j + 1, one per lane.
  public static func spectralNormAtTimesU(
    _ n: Int, _ lo: Int, _ hi: Int, _ u: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    let lane = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    for i in lo..<hi {
      var column = lane
      var ij = SIMD8<Double>(repeating: Double(i)) + lane
      var sum = SIMD8<Double>()
      var j = 0
      while j < n {
        let entry = 1.0 / (ij * (ij + 1.0) * 0.5 + (column + 1.0))
        sum += entry * spectralNormLoad(u, j, n)
        column += 8
        ij += 8
        j += 8
      }
      out[i] = spectralNormSum(sum)
    }
  }

  /// The dot product of two n-vectors, eight lanes at a time, lanes added
  /// pairwise; mirrors `cv_spectral_norm_dot`.
  public static func spectralNormDot(
    _ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>
  ) -> Double {
    var sum = SIMD8<Double>()
    var i = 0
    while i < n {
      sum += spectralNormLoad(a, i, n) * spectralNormLoad(b, i, n)
      i += 8
    }
    return spectralNormSum(sum)
  }

  /// Elements `j..<j+8` of `a`, zeros past `n` (so the last block's extra lanes
  /// add exactly 0). A full block is one unaligned vector load.
  @inline(__always)
  static func spectralNormLoad(_ a: UnsafePointer<Double>, _ j: Int, _ n: Int) -> SIMD8<Double> {
    if j + 8 <= n { return UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Double>.self) }
    var v = SIMD8<Double>()
    for k in 0..<(n - j) { v[k] = a[j + k] }
    return v
  }

  /// The lanes' sum, pairwise: ((v0+v4) + (v2+v6)) + ((v1+v5) + (v3+v7)), the
  /// order `SN_SUM` in spectral_norm.c spells out.
  @inline(__always)
  static func spectralNormSum(_ v: SIMD8<Double>) -> Double {
    let half = v.lowHalf + v.highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
  }
}
