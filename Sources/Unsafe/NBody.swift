// nbody, unsafe flavour. See Kernels/NBody.swift.

extension Unsafe {
  /// One symplectic-Euler step for bodies `lo..<hi` of `n`; mirrors `ck_nbody_advance`.
  ///
  /// Structure-of-arrays: `pos` holds x[0..<n], then y, then z (likewise `vel`
  /// and `next`), so the inner loop streams through three contiguous arrays
  /// plus `mass`. Body i's velocity takes the pull of every other body, read
  /// from `pos`; its new position goes to `next`. Chunks write only their own
  /// bodies' entries of `vel` and `next` and only read `pos`.
  public static func nbodyAdvance(
    _ n: Int, _ lo: Int, _ hi: Int, _ dt: Double,
    _ pos: UnsafePointer<Double>, _ mass: UnsafePointer<Double>,
    _ vel: UnsafeMutablePointer<Double>, _ next: UnsafeMutablePointer<Double>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "bodies out of range")
    let (x, y, z) = (pos, pos + n, pos + 2 * n)
    let (vx, vy, vz) = (vel, vel + n, vel + 2 * n)
    let (nx, ny, nz) = (next, next + n, next + 2 * n)
    for i in lo..<hi {
      let xi = x[i], yi = y[i], zi = z[i]
      var vxi = vx[i], vyi = vy[i], vzi = vz[i]
      for j in 0..<n where j != i {
        let dx = xi - x[j], dy = yi - y[j], dz = zi - z[j]
        let d2 = dx * dx + dy * dy + dz * dz
        let mag = dt / (d2 * d2.squareRoot())
        vxi -= dx * mass[j] * mag
        vyi -= dy * mass[j] * mag
        vzi -= dz * mass[j] * mag
      }
      vx[i] = vxi
      vy[i] = vyi
      vz[i] = vzi
      nx[i] = xi + dt * vxi
      ny[i] = yi + dt * vyi
      nz[i] = zi + dt * vzi
    }
  }

  /// The Benchmarks Game energy of `n` bodies; mirrors `ck_nbody_energy`.
  public static func nbodyEnergy(
    _ n: Int, _ pos: UnsafePointer<Double>, _ vel: UnsafePointer<Double>,
    _ mass: UnsafePointer<Double>
  ) -> Double {
    let (x, y, z) = (pos, pos + n, pos + 2 * n)
    let (vx, vy, vz) = (vel, vel + n, vel + 2 * n)
    var e = 0.0
    for i in 0..<n {
      e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
      for j in (i + 1)..<n {
        let dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j]
        e -= mass[i] * mass[j] / (dx * dx + dy * dy + dz * dz).squareRoot()
      }
    }
    return e
  }
}
