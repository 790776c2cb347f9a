// matmul, vector flavour. See Kernels/MatMul.swift.

extension Vector {
  /// Rows of B a panel holds: 256 × 8 doubles, 16 KiB, which stay in L1
  /// beside the four rows of A a block reads.
  static let matmulPanelRows = 256

  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices; mirrors `cv_matmul_rows`.
  ///
  /// Register blocking: for each strip of 8 columns, a block of 4 rows keeps
  /// C[i…i+3][j…j+7] in four `SIMD8<Double>` accumulators while k runs, so
  /// each multiply-add costs one broadcast of a[i][k] and shares one load of
  /// B's 8 columns with the other three rows. Rows left over take blocks of 2,
  /// then 1; the last n % 8 columns are scalar.
  ///
  /// Panels and packing: a panel of 256 of B's rows at a time, each strip of
  /// it for all the chunk's rows, while their rows of A over the panel's k
  /// (2 KiB a row) stay in L2; a block adds the panel's k to what the panels
  /// before it left in C. B's rows are 8n bytes apart, so a strip read in place
  /// touches a new page every row and its lines crowd a few cache sets: when
  /// two or more blocks of 4 rows will read it, it is first copied into one
  /// contiguous 16 KiB buffer that they reuse from L1. A chunk of fewer rows
  /// reads it in place, since the copy would cost as much as it saves.
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
    // Two or more blocks of 4 rows will read each strip: worth packing.
    let packs = hi - lo >= 8
    withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: matmulPanelRows) { buffer in
      let packed = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Double.self)
      var k0 = 0
      while k0 < n {
        let kc = min(matmulPanelRows, n &- k0)
        var j = 0
        while j < n8 {
          var panel = b + (k0 &* n &+ j)  // row k0 < n, column j < n8
          var ld = n
          if packs {
            for k in 0..<kc { matmulStore(matmulLoad(panel + k &* n), packed + k &* 8) }  // rows < n
            (panel, ld) = (UnsafePointer(packed), 8)
          }
          var i = lo
          while i + 4 <= hi {
            matmulBlock4(n, i, j, k0, kc, a, panel, ld, c)
            i &+= 4  // i + 4 <= hi <= n
          }
          while i + 2 <= hi {
            matmulBlock2(n, i, j, k0, kc, a, panel, ld, c)
            i &+= 2  // i + 2 <= hi
          }
          while i < hi {
            matmulBlock1(n, i, j, k0, kc, a, panel, ld, c)
            i &+= 1
          }
          j &+= 8  // j + 8 <= n8 <= n
        }
        k0 &+= kc  // k0 + kc <= n
      }
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

  /// C[i…i+3][j…j+7] += A[i…i+3][k0..<k0+kc] · panel, where `panel + k·ld`
  /// holds B[k0+k][j…j+7] (packed, ld = 8; in place, ld = n); the first panel
  /// (k0 == 0) starts from zero. Four
  /// accumulators, each summed over k in order.
  @inline(__always)
  static func matmulBlock4(
    _ n: Int, _ i: Int, _ j: Int, _ k0: Int, _ kc: Int,
    _ a: UnsafePointer<Double>, _ panel: UnsafePointer<Double>, _ ld: Int, _ c: UnsafeMutablePointer<Double>
  ) {
    // Rows i…i+3, columns j…j+7 and k0..<k0+kc lie inside the matrices (the caller's loops).
    let a0 = a + (i &* n &+ k0), a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
    let c0p = c + (i &* n &+ j), c1p = c0p + n, c2p = c1p + n, c3p = c2p + n
    var c0 = k0 == 0 ? SIMD8() : matmulLoad(c0p), c1 = k0 == 0 ? SIMD8() : matmulLoad(c1p)
    var c2 = k0 == 0 ? SIMD8() : matmulLoad(c2p), c3 = k0 == 0 ? SIMD8() : matmulLoad(c3p)
    for k in 0..<kc {
      let bk = matmulLoad(panel + k &* ld)
      c0 = c0 + a0[k] * bk
      c1 = c1 + a1[k] * bk
      c2 = c2 + a2[k] * bk
      c3 = c3 + a3[k] * bk
    }
    matmulStore(c0, c0p)
    matmulStore(c1, c1p)
    matmulStore(c2, c2p)
    matmulStore(c3, c3p)
  }

  /// C[i…i+1][j…j+7], likewise.
  @inline(__always)
  static func matmulBlock2(
    _ n: Int, _ i: Int, _ j: Int, _ k0: Int, _ kc: Int,
    _ a: UnsafePointer<Double>, _ panel: UnsafePointer<Double>, _ ld: Int, _ c: UnsafeMutablePointer<Double>
  ) {
    let a0 = a + (i &* n &+ k0), a1 = a0 + n
    let c0p = c + (i &* n &+ j), c1p = c0p + n
    var c0 = k0 == 0 ? SIMD8() : matmulLoad(c0p), c1 = k0 == 0 ? SIMD8() : matmulLoad(c1p)
    for k in 0..<kc {
      let bk = matmulLoad(panel + k &* ld)
      c0 = c0 + a0[k] * bk
      c1 = c1 + a1[k] * bk
    }
    matmulStore(c0, c0p)
    matmulStore(c1, c1p)
  }

  /// C[i][j…j+7], likewise.
  @inline(__always)
  static func matmulBlock1(
    _ n: Int, _ i: Int, _ j: Int, _ k0: Int, _ kc: Int,
    _ a: UnsafePointer<Double>, _ panel: UnsafePointer<Double>, _ ld: Int, _ c: UnsafeMutablePointer<Double>
  ) {
    let a0 = a + (i &* n &+ k0)
    let c0p = c + (i &* n &+ j)
    var c0 = k0 == 0 ? SIMD8() : matmulLoad(c0p)
    for k in 0..<kc { c0 = c0 + a0[k] * matmulLoad(panel + k &* ld) }
    matmulStore(c0, c0p)
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
