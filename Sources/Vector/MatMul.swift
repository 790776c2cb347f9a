// matmul, vector flavour. See Kernels/MatMul.swift.

extension Vector {
  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices; mirrors `cv_matmul_rows`.
  ///
  /// Register blocking: for each strip of 8 columns, a block of 4 rows keeps
  /// C[i…i+3][j…j+7] in four `SIMD8<Double>` accumulators while k runs over
  /// all n, so each multiply-add costs one broadcast of a[i][k] and shares one
  /// load of B's 8 columns with the other three rows, and C is stored once
  /// instead of loaded and stored n times (as the scalar i-k-j loop does). The
  /// strip of B (n cache lines, 12 KiB a thousand rows) stays in L2 while the
  /// chunk's blocks of rows reuse it. Rows left over take blocks of 2, then 1;
  /// the last n % 8 columns are scalar.
  ///
  /// Every entry is still 0 + a[i][0]·b[0][j] + a[i][1]·b[1][j] + … in that
  /// order, with separate multiplies and adds (Swift never fuses them), so the
  /// result has the bits of the scalar flavours.
  public static func matmulRows(
    _ n: Int, _ lo: Int, _ hi: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
  ) {
    precondition(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    let n8 = n - n % 8
    var j = 0
    while j < n8 {
      var i = lo
      while i + 4 <= hi {
        matmulBlock4(n, i, j, a, b, c)
        i &+= 4  // i + 4 <= hi <= n
      }
      while i + 2 <= hi {
        matmulBlock2(n, i, j, a, b, c)
        i &+= 2  // i + 2 <= hi
      }
      while i < hi {
        matmulBlock1(n, i, j, a, b, c)
        i &+= 1
      }
      j &+= 8  // j + 8 <= n8 <= n
    }
    // The last n % 8 columns, one scalar at a time, summed in the same order.
    for i in lo..<hi {
      for j in n8..<n {
        var sum = 0.0
        for k in 0..<n { sum = sum + a[i &* n &+ k] * b[k &* n &+ j] }  // indices < n²
        c[i &* n &+ j] = sum
      }
    }
  }

  // MARK: - Blocks

  /// C[i…i+3][j…j+7]: four accumulators, each summed over k = 0, 1, … in order.
  @inline(__always)
  static func matmulBlock4(
    _ n: Int, _ i: Int, _ j: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
  ) {
    // Rows i…i+3 and columns j…j+7 lie inside the matrices (the caller's loops).
    let a0 = a + i &* n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
    var c0 = SIMD8<Double>(), c1 = SIMD8<Double>(), c2 = SIMD8<Double>(), c3 = SIMD8<Double>()
    for k in 0..<n {
      let bk = matmulLoad(b + (k &* n &+ j))
      c0 = c0 + a0[k] * bk
      c1 = c1 + a1[k] * bk
      c2 = c2 + a2[k] * bk
      c3 = c3 + a3[k] * bk
    }
    matmulStore(c0, c + (i &* n &+ j))
    matmulStore(c1, c + ((i &+ 1) &* n &+ j))
    matmulStore(c2, c + ((i &+ 2) &* n &+ j))
    matmulStore(c3, c + ((i &+ 3) &* n &+ j))
  }

  /// C[i…i+1][j…j+7].
  @inline(__always)
  static func matmulBlock2(
    _ n: Int, _ i: Int, _ j: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
  ) {
    let a0 = a + i &* n, a1 = a0 + n
    var c0 = SIMD8<Double>(), c1 = SIMD8<Double>()
    for k in 0..<n {
      let bk = matmulLoad(b + (k &* n &+ j))
      c0 = c0 + a0[k] * bk
      c1 = c1 + a1[k] * bk
    }
    matmulStore(c0, c + (i &* n &+ j))
    matmulStore(c1, c + ((i &+ 1) &* n &+ j))
  }

  /// C[i][j…j+7].
  @inline(__always)
  static func matmulBlock1(
    _ n: Int, _ i: Int, _ j: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>
  ) {
    let a0 = a + i &* n
    var c0 = SIMD8<Double>()
    for k in 0..<n { c0 = c0 + a0[k] * matmulLoad(b + (k &* n &+ j)) }
    matmulStore(c0, c + (i &* n &+ j))
  }

  // MARK: - Loads and stores

  /// Eight doubles from `p`, which need only be aligned as a `Double`.
  @inline(__always)
  static func matmulLoad(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
  }

  /// Stores eight doubles at `p` (unaligned: `storeBytes` requires no alignment).
  @inline(__always)
  static func matmulStore(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
  }
}
