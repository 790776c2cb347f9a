// nbody, idiomatic flavour. See Kernels/NBody.swift.

import KernelKit

extension Idiomatic {
  /// One body: where it is, how fast it moves, how heavy it is.
  ///
  /// `SIMD3<Double>` is the natural Swift vector type (the standard library's,
  /// no imports), and `a - b`, `v * s`, `p += dt * v` read like the physics;
  /// we take it to be more idiomatic than seven `Double` fields. In release the
  /// two cost the same; unoptimised, SIMD3's generic lane-by-lane operators make
  /// the step slower than the fields version (docs/FINDINGS.md has the figure).
  /// Every expression below performs the same scalar operations, in the same
  /// order, as the C loop: SIMD arithmetic is element-wise, and squared lengths
  /// are spelled out as `d.x * d.x + d.y * d.y + d.z * d.z` because
  /// `(d * d).sum()` leaves the order of its additions unspecified.
  public struct Body: Sendable, Equatable {
    public var position: SIMD3<Double>
    public var velocity: SIMD3<Double>
    public var mass: Double

    public init(position: SIMD3<Double>, velocity: SIMD3<Double>, mass: Double) {
      self.position = position
      self.velocity = velocity
      self.mass = mass
    }
  }

  /// Direct-sum gravity over an array of `Body`, one symplectic-Euler step
  /// after another; each step maps chunks of bodies to their next state.
  public final class NBody {
    public let initial: [Body]
    public let steps: Int
    public let dt: Double
    /// Chunks of bodies per step; depends only on the number of bodies.
    public let chunks: Int
    public private(set) var bodies: [Body]
    public private(set) var energyBefore = 0.0
    public private(set) var energyAfter = 0.0

    public init(bodies: [Body], steps: Int, dt: Double, chunks: Int) {
      precondition(!bodies.isEmpty && steps >= 0 && chunks >= 1, "bad nbody parameters")
      initial = bodies
      self.bodies = bodies
      self.steps = steps
      self.dt = dt
      self.chunks = chunks
    }

    /// Each step builds a new array of bodies from the old one: every chunk
    /// returns its bodies' next states, and the chunks are joined in order.
    /// The old array is only read, so chunks need no coordination.
    public func run(on executor: any ParallelExecutor) {
      let (chunks, dt) = (self.chunks, self.dt)
      bodies = initial
      energyBefore = Self.energy(bodies)
      for _ in 0..<steps {
        let current = bodies
        bodies = executor.map(chunks) { chunk in
          chunkRange(chunk, of: chunks, total: current.count).map { i in
            Self.advanced(i, in: current, dt: dt)
          }
        }.flatMap { $0 }
      }
      energyAfter = Self.energy(bodies)
    }

    /// Body `i` after one step: pulled by every other body, then moved.
    static func advanced(_ i: Int, in bodies: [Body], dt: Double) -> Body {
      var body = bodies[i]
      for (j, other) in bodies.enumerated() where j != i {
        let d = body.position - other.position
        let d2 = d.x * d.x + d.y * d.y + d.z * d.z
        let mag = dt / (d2 * d2.squareRoot())
        body.velocity -= d * other.mass * mag
      }
      body.position += dt * body.velocity
      return body
    }

    /// The Benchmarks Game energy: kinetic minus pairwise potential (G = 1).
    public static func energy(_ bodies: [Body]) -> Double {
      var e = 0.0
      for (i, body) in bodies.enumerated() {
        let v = body.velocity
        e += 0.5 * body.mass * (v.x * v.x + v.y * v.y + v.z * v.z)
        for other in bodies[(i + 1)...] {
          let d = body.position - other.position
          e -= body.mass * other.mass / (d.x * d.x + d.y * d.y + d.z * d.z).squareRoot()
        }
      }
      return e
    }
  }
}
