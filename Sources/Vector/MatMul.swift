// matmul, vector flavour. See Kernels/MatMul.swift.

extension Vector {
  /// k values a panel of the product spans; mirrors `cv_matmul_panel_k()`.
  /// Each panel is one pass over C (its tiles loaded and stored once), so a
  /// longer panel means fewer passes; at 512 a strip of packed B (512 × 8
  /// doubles, 32 KiB) is the size of L1 on the machines we measure, and a
  /// chunk's packed rows of A (rows × 512 doubles) stay in L2.
  public static let matmulPanelK = 512

  /// Columns of C a group of strips spans (4 strips of 8); mirrors
  /// `CV_MATMUL_NC`. The blocks of a chunk pass over one group before the next
  /// (see `matmulRows`).
  static let matmulGroupColumns = 32

  /// Doubles in one packed panel of B for n: min(n, 512) · (n − n % 8), every
  /// column but the last n % 8, which `matmulRows` reads from B in place;
  /// mirrors `cv_matmul_packed_count`.
  public static func matmulPackedCount(_ n: Int) -> Int { min(n, matmulPanelK) * (n - n % 8) }

  /// Copies rows `lo..<hi` of B (n×n, row-major), k0 ≤ lo ≤ hi ≤ k0 + kc,
  /// into `packed` in the layout `matmulRows` reads for the panel k0 (kc =
  /// min(512, n − k0) rows); mirrors `cv_matmul_pack_b`. Strip by strip of 8
  /// columns, each strip kc rows of 8 contiguous doubles: B[k][j + l] lands at
  /// j·kc + (k − k0)·8 + l. Row k of B is read once, front to back (a stream
  /// the prefetcher follows); disjoint row ranges write disjoint doubles, so
  /// chunks may pack in parallel.
  public static func matmulPackB(
    _ n: Int, _ k0: Int, _ lo: Int, _ hi: Int, _ b: UnsafePointer<Double>, _ packed: UnsafeMutablePointer<Double>
  ) {
    let kc = min(matmulPanelK, n - k0)
    precondition(0 <= k0 && k0 <= lo && lo <= hi && hi <= k0 + kc && hi <= n, "rows out of range")
    let n8 = n - n % 8
    for k in lo..<hi {
      let row = packed + (k &- k0) &* 8
      var j = 0
      while j < n8 {
        matmulStore(matmulLoad(b + (k &* n &+ j)), row + j &* kc)  // k < n, j + 8 <= n8
        j &+= 8
      }
    }
  }

  /// Rows `lo..<hi` of C = A·B for n×n row-major matrices, over the panel k0
  /// of k, whose rows of B `matmulPackB` has all packed into `packedB`; the
  /// first panel (k0 = 0) writes C, later ones add to it. Mirrors
  /// `cv_matmul_rows`.
  ///
  /// A register-blocked micro-kernel in the manner of GotoBLAS and BLIS. For
  /// each strip of 8 columns, a block of `blockRows` rows (m_r; n_r is one
  /// `SIMD8<Double>` of columns) keeps C[i…][j…j+7] in `blockRows`
  /// accumulators while k runs over the panel: each k costs one load of B's 8
  /// columns, shared by all the rows, a broadcast of a[i][k] per row and a
  /// multiply-add into each accumulator, which are independent chains, so the
  /// adds' latency overlaps. `blockRows` is as many accumulators as the vector
  /// registers hold beside B and a broadcast (`cv_matmul_block_rows()`: 8 zmm
  /// with AVX-512, 4 rows of two ymm with AVX, 2 rows of four xmm with SSE2).
  ///
  /// Packing: the caller runs the product panel by panel, each in two
  /// parallel phases, so a panel of B is packed once per run, by all chunks
  /// together, and is still in the shared cache when every chunk reads it; a
  /// strip is kc·8 contiguous doubles that every block of a chunk reads (in
  /// place its rows are 8n bytes apart, a new page each and few cache sets).
  /// A's rows over the panel are copied k-major, a block at a time, so that a
  /// block's broadcasts at k are adjacent doubles: one stream instead of
  /// `blockRows` rows 8n bytes apart.
  ///
  /// Order: a group of 4 strips (32 columns) at a time, every block of rows
  /// meets the group's strips in turn. The group's strips stay in L2 while the
  /// blocks pass, a block's packed A is reused from L1 strip after strip, and
  /// its tiles of C follow one another along its rows, streams the hardware
  /// prefetcher follows (strip by strip, each block's tile would be 8 rows on
  /// 8 pages that nothing fetched ahead). The chunk's last rows, fewer
  /// than a block, go in blocks of 4, 2 and 1 that read A in place; the last
  /// n % 8 columns are computed over all of k, from B in place, in the first
  /// panel's call, a row at a time from vectors of B's last 8 columns (a
  /// scalar loop when n < 8).
  ///
  /// `fused`: multiply-adds are fused (`addingProduct`) where the C flavour
  /// fuses them (`cv_matmul_fuses()`: the target has FMA); without FMA, a
  /// fused multiply-add would be a call to `fma` per lane. Every product and
  /// partial sum of MatMul's inputs is an integer far below 2⁵³, so fusing
  /// changes no bit (see `MatMul`).
  public static func matmulRows(
    _ n: Int, _ k0: Int, _ lo: Int, _ hi: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ packedB: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, blockRows: Int, fused: Bool
  ) {
    precondition(0 <= lo && lo <= hi && hi <= n && 0 <= k0 && k0 < n, "rows out of range")
    precondition([2, 4, 8].contains(blockRows), "matmul's blocks are 2, 4 or 8 rows")
    // Constant arguments, so that each case compiles its own loops.
    switch (blockRows, fused) {
    case (8, true): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 8, true)
    case (8, false): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 8, false)
    case (4, true): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 4, true)
    case (4, false): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 4, false)
    case (_, true): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 2, true)
    case (_, false): matmulPanel(n, k0, lo, hi, a, b, packedB, c, 2, false)
    }
  }

  @inline(__always)
  static func matmulPanel(
    _ n: Int, _ k0: Int, _ lo: Int, _ hi: Int,
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ packedB: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, _ mr: Int, _ fused: Bool
  ) {
    let n8 = n - n % 8, kc = min(matmulPanelK, n - k0)
    let first = k0 == 0
    let full = lo + (hi - lo) / mr * mr  // rows lo..<full go in blocks of mr, A packed
    // A heap buffer, not `withUnsafeTemporaryAllocation`: its closure would be
    // compiled once for every mr and fused, testing them inside the loops.
    let packedA = UnsafeMutablePointer<Double>.allocate(capacity: max(1, (full - lo) * kc))
    defer { packedA.deallocate() }
    do {
      // A's rows over the panel, a block of mr rows at a time, k-major.
      var i = lo
      while i < full {
        let block = packedA + (i &- lo) &* kc
        for k in 0..<kc {
          for r in 0..<mr { block[k &* mr &+ r] = a[(i &+ r) &* n &+ k0 &+ k] }  // rows < full <= n, k0 + k < n
        }
        i &+= mr
      }
      // Whole blocks, a group of `matmulGroupColumns` columns at a time: every
      // block of rows meets the group's strips in turn.
      var jg = 0
      while jg < n8 {
        let je = min(n8, jg &+ matmulGroupColumns)
        i = lo
        while i < full {
          let ap = UnsafePointer(packedA + (i &- lo) &* kc), ci = c + i &* n
          var j = jg
          while j < je {
            // B's strip of 8 columns over the panel, packed by `matmulPackB`.
            let strip = packedB + j &* kc, cp = ci + j
            if mr == 8 {
              matmulBlock8(kc, first, ap, strip, cp, n, fused)
            } else if mr == 4 {
              matmulBlock4(kc, first, ap, 1, 4, strip, cp, n, fused)
            } else {
              matmulBlock2(kc, first, ap, 1, 2, strip, cp, n, fused)
            }
            j &+= 8  // j + 8 <= je <= n8
          }
          i &+= mr  // i + mr <= full
        }
        jg = je
      }
      // The chunk's last rows, fewer than a block: A read in place.
      var j = 0
      while j < n8 {
        let strip = packedB + j &* kc, cj = c + j
        i = full
        if mr > 4 {
          while i + 4 <= hi {
            matmulBlock4(kc, first, a + (i &* n &+ k0), n, 1, strip, cj + i &* n, n, fused)
            i &+= 4
          }
        }
        if mr > 2 {
          while i + 2 <= hi {
            matmulBlock2(kc, first, a + (i &* n &+ k0), n, 1, strip, cj + i &* n, n, fused)
            i &+= 2
          }
        }
        while i < hi {
          matmulBlock1(kc, first, a + (i &* n &+ k0), strip, cj + i &* n, fused)
          i &+= 1
        }
        j &+= 8  // j + 8 <= n8 <= n
      }
    }
    guard first else { return }
    // The last n % 8 columns, in the first panel's pass, over all of k, B
    // read in place. With n >= 8, a row of C at a time: one vector of B's
    // last 8 columns a k (in bounds for every row k; its first 8 − n % 8
    // lanes repeat columns the strips computed and are dropped), one chain of
    // multiply-adds instead of n % 8 scalar chains walking B's columns.
    if n8 == n { return }
    if n >= 8 {
      for i in lo..<hi {
        var acc = SIMD8<Double>()
        for k in 0..<n { acc = matmulMultiplyAdd(acc, a[i &* n &+ k], matmulLoad(b + (k &* n &+ n &- 8)), fused) }  // < n²
        for j in n8..<n { c[i &* n &+ j] = acc[j &- (n &- 8)] }  // lanes 8 − n % 8 ..< 8
      }
      return
    }
    for i in lo..<hi {
      for j in n8..<n {
        var sum = 0.0
        for k in 0..<n { sum = sum + a[i &* n &+ k] * b[k &* n &+ j] }  // indices < n²
        c[i &* n &+ j] = sum
      }
    }
  }

  // MARK: - Micro-kernels

  /// acc + a·b, fused or not (see `matmulRows`).
  @inline(__always)
  static func matmulMultiplyAdd(_ acc: SIMD8<Double>, _ a: Double, _ b: SIMD8<Double>, _ fused: Bool) -> SIMD8<Double> {
    fused ? acc.addingProduct(a, b) : acc + a * b
  }

  /// C[0…7][0…7] (+)= A · panel over kc values of k, where `a[8k + r]` is A's
  /// row r at k (packed) and `panel[8k…8k+7]` is B's row k of the strip; the
  /// first panel (`first`) starts from zero. Eight accumulators, eight
  /// independent chains.
  @inline(__always)
  static func matmulBlock8(
    _ kc: Int, _ first: Bool, _ a: UnsafePointer<Double>, _ panel: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, _ n: Int, _ fused: Bool
  ) {
    // Rows 0…7 of C's block lie inside C, and k < kc inside both panels (the caller's loops).
    let c0p = c, c1p = c0p + n, c2p = c1p + n, c3p = c2p + n
    let c4p = c3p + n, c5p = c4p + n, c6p = c5p + n, c7p = c6p + n
    var c0 = first ? SIMD8() : matmulLoad(c0p), c1 = first ? SIMD8() : matmulLoad(c1p)
    var c2 = first ? SIMD8() : matmulLoad(c2p), c3 = first ? SIMD8() : matmulLoad(c3p)
    var c4 = first ? SIMD8() : matmulLoad(c4p), c5 = first ? SIMD8() : matmulLoad(c5p)
    var c6 = first ? SIMD8() : matmulLoad(c6p), c7 = first ? SIMD8() : matmulLoad(c7p)
    for k in 0..<kc {
      let bk = matmulLoad(panel + k &* 8), ak = a + k &* 8
      c0 = matmulMultiplyAdd(c0, ak[0], bk, fused)
      c1 = matmulMultiplyAdd(c1, ak[1], bk, fused)
      c2 = matmulMultiplyAdd(c2, ak[2], bk, fused)
      c3 = matmulMultiplyAdd(c3, ak[3], bk, fused)
      c4 = matmulMultiplyAdd(c4, ak[4], bk, fused)
      c5 = matmulMultiplyAdd(c5, ak[5], bk, fused)
      c6 = matmulMultiplyAdd(c6, ak[6], bk, fused)
      c7 = matmulMultiplyAdd(c7, ak[7], bk, fused)
    }
    matmulStore(c0, c0p)
    matmulStore(c1, c1p)
    matmulStore(c2, c2p)
    matmulStore(c3, c3p)
    matmulStore(c4, c4p)
    matmulStore(c5, c5p)
    matmulStore(c6, c6p)
    matmulStore(c7, c7p)
  }

  /// C[0…3][0…7], likewise; `a[r·ars + k·aks]` is A's row r at k (packed:
  /// ars = 1, aks = 4; in place: ars = n, aks = 1).
  @inline(__always)
  static func matmulBlock4(
    _ kc: Int, _ first: Bool, _ a: UnsafePointer<Double>, _ ars: Int, _ aks: Int, _ panel: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, _ n: Int, _ fused: Bool
  ) {
    let c0p = c, c1p = c0p + n, c2p = c1p + n, c3p = c2p + n
    let a0 = a, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars
    var c0 = first ? SIMD8() : matmulLoad(c0p), c1 = first ? SIMD8() : matmulLoad(c1p)
    var c2 = first ? SIMD8() : matmulLoad(c2p), c3 = first ? SIMD8() : matmulLoad(c3p)
    for k in 0..<kc {
      let bk = matmulLoad(panel + k &* 8), ak = k &* aks
      c0 = matmulMultiplyAdd(c0, a0[ak], bk, fused)
      c1 = matmulMultiplyAdd(c1, a1[ak], bk, fused)
      c2 = matmulMultiplyAdd(c2, a2[ak], bk, fused)
      c3 = matmulMultiplyAdd(c3, a3[ak], bk, fused)
    }
    matmulStore(c0, c0p)
    matmulStore(c1, c1p)
    matmulStore(c2, c2p)
    matmulStore(c3, c3p)
  }

  /// C[0…1][0…7], likewise.
  @inline(__always)
  static func matmulBlock2(
    _ kc: Int, _ first: Bool, _ a: UnsafePointer<Double>, _ ars: Int, _ aks: Int, _ panel: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, _ n: Int, _ fused: Bool
  ) {
    let c0p = c, c1p = c0p + n
    let a0 = a, a1 = a0 + ars
    var c0 = first ? SIMD8() : matmulLoad(c0p), c1 = first ? SIMD8() : matmulLoad(c1p)
    for k in 0..<kc {
      let bk = matmulLoad(panel + k &* 8), ak = k &* aks
      c0 = matmulMultiplyAdd(c0, a0[ak], bk, fused)
      c1 = matmulMultiplyAdd(c1, a1[ak], bk, fused)
    }
    matmulStore(c0, c0p)
    matmulStore(c1, c1p)
  }

  /// C[0][0…7], A read in place (row 0 at `a[k]`).
  @inline(__always)
  static func matmulBlock1(
    _ kc: Int, _ first: Bool, _ a: UnsafePointer<Double>, _ panel: UnsafePointer<Double>,
    _ c: UnsafeMutablePointer<Double>, _ fused: Bool
  ) {
    var c0 = first ? SIMD8() : matmulLoad(c)
    for k in 0..<kc { c0 = matmulMultiplyAdd(c0, a[k], matmulLoad(panel + k &* 8), fused) }
    matmulStore(c0, c)
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
