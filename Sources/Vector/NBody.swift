// nbody, vector flavour. See Kernels/NBody.swift.

extension Vector {
  /// One symplectic-Euler step for bodies `lo..<hi` of `n`; mirrors `cv_nbody_advance`.
  ///
  /// The same structure-of-arrays buffers as the unsafe flavour. Body i takes
  /// the pull of eight other bodies j, j+1, …, j+7 at a time: lane k of the
  /// accumulators sums the terms of bodies j ≡ k (mod 8), in order, and the
  /// eight partial sums are added pairwise at the end (`nbodySum`). That is a
  /// different order of additions from the scalar flavours' j = 0, 1, 2, …, so
  /// the velocities differ from theirs in the last bits (see `NBody.tolerance`);
  /// the C vector flavour adds in this same order and agrees bit for bit.
  ///
  /// Eight lanes, because the pair's divide and square root are what bound the
  /// scalar loop (one of each per pair), and one vector divide or square root
  /// does eight at a time, as wide as the target's divider allows. The lane of
  /// body i itself (whose distance is 0) and, in the last block, lanes past n
  /// (loaded as zeros) get `mag` = 0 through a mask, so they add exactly 0.
  ///
  /// The energy is not vectorised: it runs twice a run against 100 steps, and
  /// the scalar function keeps the energy before the first step identical in
  /// every flavour.
  ///
  /// Why whole blocks in a branch-free loop, the partial block after it, and a
  /// carried index vector (`index += 8`): the standard library's floating-point
  /// SIMD operators are element loops that LLVM must re-vectorise. With a
  /// lane-by-lane load inside the loop, or the index rebuilt from `Double(j)`
  /// each block, LLVM's SLP vectoriser rebuilt `dx * dx + dy * dy + dz * dz`
  /// with some scalar lanes, blends and permutes instead of three vector
  /// operations, and Swift fell behind C.
  public static func nbodyAdvance(
    _ n: Int, _ lo: Int, _ hi: Int, _ dt: Double,
    _ pos: UnsafePointer<Double>, _ mass: UnsafePointer<Double>,
    _ vel: UnsafeMutablePointer<Double>, _ next: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "bodies out of range")
    let (x, y, z) = (pos, pos + n, pos + 2 * n)
    let (vx, vy, vz) = (vel, vel + n, vel + 2 * n)
    let (nx, ny, nz) = (next, next + n, next + 2 * n)
    // Lane indices as doubles: SSE2 has no 64-bit integer compare, and every
    // index below 2⁵³ is exact.
    let lane = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    let count = Double(n)
    for i in lo..<hi {
      let xi = SIMD8<Double>(repeating: x[i])
      let yi = SIMD8<Double>(repeating: y[i])
      let zi = SIMD8<Double>(repeating: z[i])
      let own = Double(i)
      var ax = SIMD8<Double>(), ay = SIMD8<Double>(), az = SIMD8<Double>()
      var index = lane
      var j = 0
      // Whole blocks: four plain vector loads, no branch in the loop body.
      while j + 8 <= n {
        nbodyPull(
          xi, yi, zi, dt, other: index .!= own,
          x: nbodyLoad(x, j), y: nbodyLoad(y, j), z: nbodyLoad(z, j), mass: nbodyLoad(mass, j),
          into: &ax, &ay, &az)
        index += 8
        j += 8
      }
      // The last, partial block (when 8 does not divide n), assembled lane by
      // lane after the loop, so it adds last, as its lanes' turn comes.
      if j < n {
        nbodyPull(
          xi, yi, zi, dt, other: (index .!= own) .& (index .< count),
          x: nbodyPartial(x, j, n), y: nbodyPartial(y, j, n), z: nbodyPartial(z, j, n), mass: nbodyPartial(mass, j, n),
          into: &ax, &ay, &az)
      }
      let vxi = vx[i] - nbodySum(ax)
      let vyi = vy[i] - nbodySum(ay)
      let vzi = vz[i] - nbodySum(az)
      vx[i] = vxi
      vy[i] = vyi
      vz[i] = vzi
      nx[i] = x[i] + dt * vxi
      ny[i] = y[i] + dt * vyi
      nz[i] = z[i] + dt * vzi
    }
  }

  /// The pull of the eight bodies in `x`, `y`, `z`, `mass` on the body at
  /// (`xi`, `yi`, `zi`), added lane by lane to the accumulators. Lanes not in
  /// `other` (the body itself, lanes past n) add exactly 0.
  @inline(__always)
  static func nbodyPull(
    _ xi: SIMD8<Double>, _ yi: SIMD8<Double>, _ zi: SIMD8<Double>, _ dt: Double,
    other: SIMDMask<SIMD8<Int64>>,
    x xj: SIMD8<Double>, y yj: SIMD8<Double>, z zj: SIMD8<Double>, mass mj: SIMD8<Double>,
    into ax: inout SIMD8<Double>, _ ay: inout SIMD8<Double>, _ az: inout SIMD8<Double>
  ) {
    let dx = xi - xj, dy = yi - yj, dz = zi - zj
    let d2 = dx * dx + dy * dy + dz * dz
    let mag = SIMD8<Double>().replacing(with: dt / (d2 * d2.squareRoot()), where: other)
    ax += dx * mj * mag
    ay += dy * mj * mag
    az += dz * mj * mag
  }

  /// Elements `j..<j+8` of `a`: one unaligned vector load.
  @inline(__always)
  static func nbodyLoad(_ a: UnsafePointer<Double>, _ j: Int) -> SIMD8<Double> {
    UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Double>.self)
  }

  /// Elements `j..<n` of `a` (fewer than eight), zeros in the lanes past `n`.
  @inline(__always)
  static func nbodyPartial(_ a: UnsafePointer<Double>, _ j: Int, _ n: Int) -> SIMD8<Double> {
    var v = SIMD8<Double>()
    for k in 0..<(n - j) { v[k] = a[j + k] }
    return v
  }

  /// The lanes' sum, pairwise: ((v0+v4) + (v2+v6)) + ((v1+v5) + (v3+v7)), the
  /// order `NBODY_SUM` in nbody.c spells out.
  @inline(__always)
  static func nbodySum(_ v: SIMD8<Double>) -> Double {
    let half = v.lowHalf + v.highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
  }
}
