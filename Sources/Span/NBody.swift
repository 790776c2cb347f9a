// nbody, span flavour. See Kernels/NBody.swift.

extension Spans {
  /// One symplectic-Euler step for bodies `lo..<hi` of `n`; mirrors `Unsafe.nbodyAdvance`.
  ///
  /// The same structure of arrays: `pos` holds x[0..<n], then y, then z, and
  /// is split once into three spans of n. A chunk owns its bodies' velocities
  /// and next positions, so it is handed those alone: six spans of `hi − lo`
  /// (`vx`…`vz`, `nx`…`nz`), indexed by `i − lo`. The inner loop indexes
  /// `x`, `y`, `z` and `mass`, all of count n, with j < n.
  public static func nbodyAdvance(
    _ n: Int, _ lo: Int, _ hi: Int, _ dt: Double, _ pos: Span<Double>, _ mass: Span<Double>,
    _ vx: inout MutableSpan<Double>, _ vy: inout MutableSpan<Double>, _ vz: inout MutableSpan<Double>,
    _ nx: inout MutableSpan<Double>, _ ny: inout MutableSpan<Double>, _ nz: inout MutableSpan<Double>
  ) {
    precondition(0 <= lo && lo <= hi && hi <= n && pos.count == 3 * n && mass.count == n, "bad bodies")
    let count = hi - lo
    precondition(
      vx.count == count && vy.count == count && vz.count == count
        && nx.count == count && ny.count == count && nz.count == count, "bodies out of range")
    let x = pos.extracting(0..<n), y = pos.extracting(n..<(2 * n)), z = pos.extracting((2 * n)..<(3 * n))
    for i in lo..<hi {
      let xi = x[i], yi = y[i], zi = z[i]
      let b = i - lo
      var vxi = vx[b], vyi = vy[b], vzi = vz[b]
      for j in 0..<n where j != i {
        let dx = xi - x[j], dy = yi - y[j], dz = zi - z[j]
        let d2 = dx * dx + dy * dy + dz * dz
        let mag = dt / (d2 * d2.squareRoot())
        vxi -= dx * mass[j] * mag
        vyi -= dy * mass[j] * mag
        vzi -= dz * mass[j] * mag
      }
      vx[b] = vxi
      vy[b] = vyi
      vz[b] = vzi
      nx[b] = xi + dt * vxi
      ny[b] = yi + dt * vyi
      nz[b] = zi + dt * vzi
    }
  }

  /// The Benchmarks Game energy of `n` bodies; mirrors `Unsafe.nbodyEnergy`.
  public static func nbodyEnergy(_ n: Int, _ pos: Span<Double>, _ vel: Span<Double>, _ mass: Span<Double>) -> Double {
    precondition(pos.count == 3 * n && vel.count == 3 * n && mass.count == n, "bad bodies")
    let x = pos.extracting(0..<n), y = pos.extracting(n..<(2 * n)), z = pos.extracting((2 * n)..<(3 * n))
    let vx = vel.extracting(0..<n), vy = vel.extracting(n..<(2 * n)), vz = vel.extracting((2 * n)..<(3 * n))
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
