// nbody: floating-point divide and square root, and the data layout that feeds them.

import CKernels
import CVectorKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels
import VectorKernels

/// The Benchmarks Game's n-body simulation, generalised to N bodies: direct-sum
/// gravity (G = 1, lengths in AU, time in years, masses in units where the sun
/// weighs 4π²), advanced by symplectic Euler with dt = 0.01.
///
/// - Size: N, the number of bodies; every run takes `steps` = 100 steps (one
///   simulated year). N ≤ 5 is the first N bodies of the Benchmarks Game's sun
///   and four planets, with its offset-momentum (the sun's velocity cancels the
///   total momentum). Bodies 5..<N come from `SplitMix64(seed: 0x6e626f6479)`
///   ("nbody"): asteroids on circular prograde orbits around the sun, x and y
///   uniform in [-50, 50) AU and kept when 2 ≤ r ≤ 50 AU (uniform over that
///   annulus), z uniform within ±5% of r, speed √(4π²/r) at right angles to the
///   radius, masses uniform in [0.1, 1)×10⁻⁹ solar masses (Ceres is 4.7×10⁻¹⁰).
///   They are so light and so far apart (the closest pair starts 0.66 AU apart
///   at N = 300, 0.17 AU at 1200, 0.11 AU at 4000) that no pair pulls hard; the
///   offset-momentum covers every body.
/// - Bottleneck: one divide and one square root per pair and step (latency
///   bound, since each body's velocity is one serial sum); the layout decides how
///   cheaply the other bodies' coordinates arrive.
/// - Chunks: the Benchmarks Game updates each pair once, symmetrically (v_i −= …,
///   v_j += …), which cannot be split between threads without races. Here body i
///   sums the pull of all N − 1 other bodies itself (twice the divides, no
///   shared writes), then moves; new positions go to a second buffer (the old
///   ones are still being read), so a step is one parallel phase: `forEach` over
///   min(64, ⌈N/2⌉) chunks of bodies, then the buffers swap. Body i adds its
///   terms in order j = 0, 1, …, which is exactly the order in which the
///   Benchmarks Game's pair loop updates it (the j < i terms arrive negated,
///   exactly), so N = 5 follows the reference program closely: its energies
///   after 100 and 1000 steps agree to all 9 printed decimals.
/// - Result: the energy before and after, printed like the Benchmarks Game
///   (`%.9f`). The scalar flavours perform the same operations in the same
///   order (C with `FP_CONTRACT OFF`), so they agree bit for bit; the vector
///   flavours agree with each other bit for bit but add each body's pulls in
///   eight lanes (and NumPy sums pairwise), so the kernel's tolerance is 1e-11 relative.
struct NBody: Kernel {
  let name = "nbody"
  let bottleneck = "FP, sqrt, data layout"
  let summary = "Direct-sum gravity, symplectic Euler: N bodies (the Benchmarks Game's 5 plus asteroids), 100 steps of dt 0.01"
  let parameter = "N (bodies)"
  let sizes = KernelSizes(tiny: 40, quick: 160, full: 1_200)
  let notes = KernelNotes(
    debug: "Unoptimised SIMD3 arithmetic is a chain of generic calls per lane, dearer than the same loop written with Double fields, where release inlines the whole pair into a few instructions.",
    idiomatic: "An array of Body structs (SIMD3 position and velocity): each step allocates the chunks' arrays and joins them, and every other-body read is bounds-checked, yet the divide and square root per pair dominate, so unsafe buffers buy little.",
    unsafe: "Structure-of-arrays in raw buffers, written in place: one allocation for the whole run, no bounds checks, three contiguous coordinate streams.",
    c: "The same loop as unsafe Swift; swiftc and clang emit near-identical code for it.",
    parallel: "Each body sums all N − 1 pulls (twice the Benchmarks Game's divides, but no shared writes); one barrier per step, so small N is dominated by wake-ups.",
    vector: "Eight other bodies per SIMD8<Double>: one vector square root and one vector divide do eight pairs' worth; the j = i lane and padding lanes are masked to 0. The eight partial sums are added pairwise at the end, another rounding than the scalar order (tolerance 1e-11). Built for baseline x86-64 the gain is bounded: SSE2 divides and square-roots only two lanes at a time.",
    native: "AVX-512 divides and square-roots eight lanes per instruction (AVX2 four); the divider's throughput is the limit. The standard library's floating-point SIMD operators are element loops that LLVM must re-vectorise, so the Swift flavour keeps whole blocks in a branch-free loop and carries its index vector: with a lane-by-lane load inside the loop, or the index rebuilt each block, LLVM's SLP vectoriser re-assembled d² = dx² + dy² + dz² with scalar lanes, blends and permutes around the vector divide.")

  /// Steps per run, whatever N.
  static let steps = 100
  static let dt = 0.01
  static let seed: UInt64 = 0x6e62_6f64_79  // "nbody"

  /// Energies of the Benchmarks Game's C program (Bauer's `nbody.c`, built with
  /// clang -O2) for N = 5, as it prints them, keyed by the number of steps.
  static let reference: [Int: (before: String, after: String)] = [
    100: ("-0.169075164", "-0.169050762"),
    1_000: ("-0.169075164", "-0.169087605"),
  ]

  func validate(size: Int) throws { try require(size, in: 2...65_536) }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard size == 5 else { return .noReference }
    return Self.verify(result, steps: Self.steps)
  }

  /// Checks N = 5 energies after `steps` steps against the reference program's.
  static func verify(_ result: KernelResult, steps: Int) -> Verification {
    guard let expected = reference[steps] else { return .noReference }
    guard result.values.count == 2 else { return .mismatch("expected two energies, got \(result)") }
    let got = (formatFixed(result.values[0], 9), formatFixed(result.values[1], 9))
    return got == expected
      ? .matches("Benchmarks Game energies \(expected.before), \(expected.after) after \(steps) steps")
      : .mismatch("energies \(got.0), \(got.1); the Benchmarks Game prints \(expected.before), \(expected.after)")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    makeWorkload(flavour, bodies: n, steps: Self.steps)
  }

  /// The workload for `n` bodies and any number of steps (tests use 1000 steps
  /// at N = 5, the Benchmarks Game's smallest published run).
  func makeWorkload(_ flavour: Flavour, bodies n: Int, steps: Int) -> any Workload {
    let input = Self.input(bodies: n)
    let chunks = Self.chunks(bodies: n)
    switch flavour {
    case .idiomatic:
      let bodies = (0..<n).map { i in
        Idiomatic.Body(position: input.positions[i], velocity: input.velocities[i], mass: input.masses[i])
      }
      let kernel = Idiomatic.NBody(bodies: bodies, steps: steps, dt: Self.dt, chunks: chunks)
      return Cell(run: kernel.run, result: { Self.result(kernel.energyBefore, kernel.energyAfter) })
    case .span:
      return Buffers(input, steps: steps, chunks: chunks, advance: Self.spanAdvance, energy: Self.spanEnergy).cell
    case .unsafe:
      return Buffers(
        input, steps: steps, chunks: chunks, advance: Unsafe.nbodyAdvance, energy: Unsafe.nbodyEnergy
      ).cell
    case .c:
      return Buffers(
        input, steps: steps, chunks: chunks,
        advance: { ck_nbody_advance($0, $1, $2, $3, $4, $5, $6, $7) },
        energy: { ck_nbody_energy($0, $1, $2, $3) }
      ).cell
    case .vector:
      return Buffers(
        input, steps: steps, chunks: chunks, advance: Vector.nbodyAdvance, energy: Unsafe.nbodyEnergy
      ).cell
    case .cVector:
      return Buffers(
        input, steps: steps, chunks: chunks,
        advance: { cv_nbody_advance($0, $1, $2, $3, $4, $5, $6, $7) },
        energy: { ck_nbody_energy($0, $1, $2, $3) }
      ).cell
    }
  }

  static func chunks(bodies n: Int) -> Int { min(64, (n + 1) / 2) }

  // MARK: - Vector flavours, tolerance and work

  var vectorNotApplicable: String? { nil }
  let ceiling = Ceiling.divideAndSquareRoot(item: "pair") { n in Double(NBody.steps) * Double(n) * Double(n - 1) }

  /// The scalar flavours agree bit for bit; the vector flavours add each body's
  /// pulls in eight interleaved partial sums (lane k takes j ≡ k mod 8) and so
  /// round differently, by a few units in the last place per step. Over 100
  /// steps the energies drift apart by far less than this (see NBodyTests),
  /// and the published 9 decimals are unaffected.
  var tolerance: Double { NBody.vectorTolerance }

  /// Relative tolerance between any two flavours' energies. 1e-11, not 1e-12:
  /// the NumPy rung (bench/python) sums pairwise along an axis and differed
  /// by 1.8e-12 at N = 1200 (2.9e-14 at N = 160), still far below the 9
  /// printed decimals.
  static let vectorTolerance = 1e-11

  /// Flops per pair and step: dx, dy, dz (3), d² (5), d²·√d² (1), the square
  /// root (1), dt / … (1), and for each axis v −= d·m·mag (3 × 3); a square
  /// root and a divide count one each, though they cost far more.
  static let flopsPerPair = 20

  /// Every step: n(n − 1) pairs (each body sums all others) and 6 flops per
  /// body to move it; plus the two energies (8 per body, 12 per unordered pair).
  func work(size n: Int) -> Work {
    let pairs = Double(n) * Double(n - 1)
    let steps = Double(Self.steps) * (pairs * Double(Self.flopsPerPair) + 6 * Double(n))
    let energies = 2 * (8 * Double(n) + 12 * pairs / 2)
    return Work(steps + energies, .flops, "flops: 20 per pair and step (√ and ÷ count 1), plus moves and energies")
  }

  static func result(_ before: Double, _ after: Double) -> KernelResult {
    KernelResult(
      text: "energy before \(formatFixed(before, 9)) · after \(formatFixed(after, 9))",
      checksum: 0, values: [before, after])
  }

  // MARK: - Input

  struct Input {
    var positions: [SIMD3<Double>] = []
    var velocities: [SIMD3<Double>] = []
    var masses: [Double] = []
  }

  static let solarMass = 4 * Double.pi * Double.pi
  static let daysPerYear = 365.24

  /// The Benchmarks Game's sun, Jupiter, Saturn, Uranus and Neptune.
  static let planets: [(position: SIMD3<Double>, velocity: SIMD3<Double>, mass: Double)] = [
    ([0, 0, 0], [0, 0, 0], solarMass),
    (
      [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
      [1.66007664274403694e-03 * daysPerYear, 7.69901118419740425e-03 * daysPerYear,
       -6.90460016972063023e-05 * daysPerYear],
      9.54791938424326609e-04 * solarMass
    ),
    (
      [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
      [-2.76742510726862411e-03 * daysPerYear, 4.99852801234917238e-03 * daysPerYear,
       2.30417297573763929e-05 * daysPerYear],
      2.85885980666130812e-04 * solarMass
    ),
    (
      [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
      [2.96460137564761618e-03 * daysPerYear, 2.37847173959480950e-03 * daysPerYear,
       -2.96589568540237556e-05 * daysPerYear],
      4.36624404335156298e-05 * solarMass
    ),
    (
      [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
      [2.68067772490389322e-03 * daysPerYear, 1.62824170038242295e-03 * daysPerYear,
       -9.51592254519715870e-05 * daysPerYear],
      5.15138902046611451e-05 * solarMass
    ),
  ]

  /// The initial state of `n` bodies (see the type's documentation), with the
  /// Benchmarks Game's offset-momentum applied over all of them.
  static func input(bodies n: Int) -> Input {
    var input = Input()
    for planet in planets.prefix(n) {
      input.positions.append(planet.position)
      input.velocities.append(planet.velocity)
      input.masses.append(planet.mass)
    }
    var random = SplitMix64(seed: seed)
    while input.positions.count < n {
      let x = 100 * random.nextDouble() - 50
      let y = 100 * random.nextDouble() - 50
      let r = (x * x + y * y).squareRoot()
      guard (2...50).contains(r) else { continue }
      let z = 0.05 * r * (2 * random.nextDouble() - 1)
      let speed = (solarMass / r).squareRoot()
      input.positions.append([x, y, z])
      input.velocities.append([-speed * y / r, speed * x / r, 0])
      input.masses.append(solarMass * 1e-9 * (0.1 + 0.9 * random.nextDouble()))
    }
    var momentum = SIMD3<Double>(0, 0, 0)
    for (velocity, mass) in zip(input.velocities, input.masses) {
      momentum += velocity * mass
    }
    input.velocities[0] = -momentum / solarMass
    return input
  }

  // MARK: - Driver for the unsafe and C flavours

  typealias Advance = @Sendable (
    Int, Int, Int, Double, UnsafePointer<Double>, UnsafePointer<Double>,
    UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>
  ) -> Void
  typealias Energy = @Sendable (
    Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>
  ) -> Double

  /// Structure-of-arrays state in raw buffers: positions (two buffers that
  /// swap every step), velocities and masses, plus the initial state each run
  /// starts from.
  private final class Buffers {
    let n: Int
    let steps: Int
    let chunks: Int
    let advance: Advance
    let energy: Energy
    /// x, y, z of the initial positions, then vx, vy, vz of the initial velocities.
    let initial: UnsafeMutableBufferPointer<Double>
    let mass: UnsafeMutableBufferPointer<Double>
    let vel: UnsafeMutableBufferPointer<Double>
    let posA: UnsafeMutableBufferPointer<Double>
    let posB: UnsafeMutableBufferPointer<Double>
    var energyBefore = 0.0
    var energyAfter = 0.0

    init(_ input: Input, steps: Int, chunks: Int, advance: @escaping Advance, energy: @escaping Energy) {
      let n = input.masses.count
      self.n = n
      self.steps = steps
      self.chunks = chunks
      self.advance = advance
      self.energy = energy
      initial = .allocate(capacity: 6 * n)
      for i in 0..<n {
        for axis in 0..<3 {
          initial[axis * n + i] = input.positions[i][axis]
          initial[(3 + axis) * n + i] = input.velocities[i][axis]
        }
      }
      mass = .allocate(capacity: n)
      _ = mass.initialize(from: input.masses)
      vel = .allocate(capacity: 3 * n)
      vel.initialize(repeating: 0)
      posA = .allocate(capacity: 3 * n)
      posA.initialize(repeating: 0)
      posB = .allocate(capacity: 3 * n)
      posB.initialize(repeating: 0)
    }

    deinit {
      for buffer in [initial, mass, vel, posA, posB] { buffer.deallocate() }
    }

    var cell: Cell {
      Cell(run: run, result: { NBody.result(self.energyBefore, self.energyAfter) })
    }

    func run(on executor: any ParallelExecutor) {
      let (n, chunks, advance) = (n, chunks, advance)
      let dt = NBody.dt
      var current = posA.baseAddress!
      var following = posB.baseAddress!
      current.update(from: initial.baseAddress!, count: 3 * n)
      vel.baseAddress!.update(from: initial.baseAddress! + 3 * n, count: 3 * n)
      energyBefore = energy(n, current, vel.baseAddress!, mass.baseAddress!)
      for _ in 0..<steps {
        // Every chunk reads all of `pos` and `mass` and writes only its own
        // bodies' entries of `vel` and `next`: the chunks' writes are disjoint,
        // and nothing they read is written during the step.
        nonisolated(unsafe) let pos = UnsafePointer(current)
        nonisolated(unsafe) let next = following
        nonisolated(unsafe) let v = vel.baseAddress!
        nonisolated(unsafe) let m = UnsafePointer(mass.baseAddress!)
        executor.forEach(chunks) { chunk in
          let bodies = chunkRange(chunk, of: chunks, total: n)
          advance(n, bodies.lowerBound, bodies.upperBound, dt, pos, m, v, next)
        }
        swap(&current, &following)
      }
      energyAfter = energy(n, current, vel.baseAddress!, mass.baseAddress!)
    }
  }
}
