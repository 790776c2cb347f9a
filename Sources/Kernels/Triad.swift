// triad: memory bandwidth.

import CKernels
import CVectorKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels
import VectorKernels

/// STREAM's triad, `a[i] = b[i] + s·c[i]` over three arrays of n doubles,
/// repeated R times per run.
///
/// - Bottleneck: memory bandwidth. Each element costs one multiply and one add
///   but moves 24 bytes (two loads, one store; 32 with the write-allocate read
///   of `a`'s line). At quick and full size each array is at least 64 MiB, so
///   the three together are far larger than any last-level cache.
/// - Input: fixed by the definition, no generator needed: `b[i] = i % 1000`,
///   `c[i] = i % 7`, `s = 3`. Every value of `a` is an integer below 1018, so all
///   arithmetic is exact in `Double` and every flavour computes the same bits.
/// - Repetitions: `R = max(1, (n / 2²³)²)`: once up to 8 Mi doubles (tiny and
///   quick, so that debug idiomatic stays near a second), 16 times at full
///   (32 Mi doubles, 768 MiB in all), so that release C runs about half a second
///   without a fourth gigabyte of arrays. Each repetition is one parallel phase
///   (a barrier between repetitions, as in STREAM).
/// - Chunks: 64 equal index ranges per repetition.
/// - Result: the sum of `a` (exact: it stays below n · 1017 < 2⁵³ for every
///   valid n) and a position-weighted sum Σ (i+1)·a[i] (wrapping `UInt64`), which
///   catches a chunk written to the wrong place. Both are computed in
///   `result()`, untimed.
struct Triad: Kernel {
  let name = "triad"
  let bottleneck = "memory bandwidth"
  let summary = "STREAM triad a[i] = b[i] + 3·c[i] over three arrays of n doubles, R = max(1, (n/2²³)²) times"
  let parameter = "n (doubles per array)"
  let sizes = KernelSizes(tiny: 4_096, quick: 1 << 23, full: 1 << 25)
  let notes = KernelNotes(
    debug: "Unoptimised Swift calls Array's subscript, the range iterator and the closure of `map` as functions for every element, so the loop is limited by instructions, not memory; release is limited by memory.",
    idiomatic: "Threads cannot write disjoint parts of one Swift Array without unsafe pointers, so each chunk maps its index range into a fresh array and the driver copies the 64 pieces into `a` on one thread: an extra allocation, an extra write and read of n doubles, and a serial copy that caps parallel scaling. Bounds checks on `b[j]` and `c[j]` cost little next to the memory traffic. At full size the pieces are 4 MiB each and come fresh from the kernel every repetition, so it also pays for faulting in their pages.",
    unsafe: "Writes `a` in place through raw pointers, one index range per chunk; the loop vectorises and runs at the speed of memory.",
    c: "The same loop; clang and swiftc emit the same vector code, and both wait on memory.",
    parallel: "64 index ranges per repetition, one barrier per repetition. Speed-up stops when the memory bus is saturated, usually well before the core count.",
    vector: "Eight doubles a step (SIMD8<Double>, vector_size(64)), then a scalar tail: the same loop the scalar flavours already vectorise to, so the rung is flat, which is the lesson: memory, not arithmetic, is the limit. Each element moves 24 bytes (two loads and a store) for one multiply-add, so one core's memory bandwidth, not its vector units, sets the time; the report's roofline chart puts the run's rate against the STREAM limit measured beside it.",
    native: "Nothing to buy: wider registers do not make memory faster. Native let clang fuse the scalar C flavour's b + s·c into an FMA (exact here: the inputs are small integers), which the C vector flavour forbids with FP_CONTRACT OFF to keep Swift's roundings; the times did not move beyond the noise (above).")

  /// The scalar `s`.
  static let scalar = 3.0
  /// Index ranges per repetition.
  static let chunks = 64
  /// The largest n: 2²⁷ doubles an array (1 GiB each, 3 GiB in all).
  static let maxSize = 1 << 27

  let vectorNotApplicable: String? = nil
  let ceiling = Ceiling.bandwidth { n in 24 * Double(n) }  // three arrays of n doubles

  /// STREAM's count: 24 bytes an element a repetition (b and c read, a
  /// written). The write-allocate read of a's lines, which the hardware also
  /// does, is not counted, as in STREAM, so a rate near the machine's
  /// measured triad bandwidth means the limit is reached.
  func work(size n: Int) -> Work {
    Work(
      24 * Double(n) * Double(Self.repetitions(n)), .bytes,
      "24 bytes an element a repetition (STREAM: write-allocate not counted)")
  }

  /// How often a run repeats the triad over arrays of `n` doubles.
  static func repetitions(_ n: Int) -> Int {
    let blocks = n >> 23  // whole multiples of 8 Mi doubles
    return max(1, blocks * blocks)
  }

  /// The input: small integers, so that every `a[i]` is exact.
  static func b(_ i: Int) -> Double { Double(i % 1000) }
  static func c(_ i: Int) -> Double { Double(i % 7) }

  /// At most `maxSize` doubles an array.
  func validate(size: Int) throws {
    try require(size, in: 64...Self.maxSize, "three arrays of n doubles must fit in memory")
  }

  func verify(_ result: KernelResult, size n: Int) -> Verification {
    let expected = Self.expected.withLock { known in
      if let result = known[n] { return result }
      let result = Self.array(n) { Self.b($0) + Self.scalar * Self.c($0) }.withUnsafeBufferPointer {
        Self.result(n: n, a: $0)
      }
      known[n] = result
      return result
    }
    return result == expected
      ? .matches("a[i] = i % 1000 + 3·(i % 7), summed independently")
      : .mismatch("expected \(expected), got \(result)")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let (b, c) = Self.inputs(n)
    let repetitions = Self.repetitions(n)
    switch flavour {
    case .idiomatic:
      let kernel = Idiomatic.Triad(
        b: b, c: c, scalar: Self.scalar, repetitions: repetitions, chunks: Self.chunks)
      return Cell(run: kernel.run, result: { kernel.a.withUnsafeBufferPointer { Self.result(n: n, a: $0) } })
    case .span:
      return Arrays(b: b, c: c, repetitions: repetitions, triad: Self.spanTriad).cell
    case .unsafe:
      return Arrays(b: b, c: c, repetitions: repetitions, triad: Unsafe.triad).cell
    case .c:
      return Arrays(b: b, c: c, repetitions: repetitions, triad: { ck_triad($0, $1, $2, $3, $4, $5) }).cell
    case .vector:
      return Arrays(b: b, c: c, repetitions: repetitions, triad: Vector.triad).cell
    case .cVector:
      return Arrays(b: b, c: c, repetitions: repetitions, triad: { cv_triad($0, $1, $2, $3, $4, $5) }).cell
    }
  }

  // Input, result and check are untimed, but the debug build runs them too,
  // over 8 Mi doubles several times a cell. Written as plain loops over
  // buffers, which unoptimised Swift runs much faster than `map` and
  // `enumerated()`, whose closures and iterators stay real calls at -Onone.

  /// The expected result for each size verified so far (computed once: in a
  /// debug build it takes half a second at quick size, and every cell is verified).
  private static let expected = Locked<[Int: KernelResult]>([:])

  /// The arrays `b` and `c` of the last size asked for, shared read-only by
  /// every flavour's workload (copy-on-write arrays that nobody writes), so
  /// their 128 MiB at quick size are made, and their pages faulted in, once a
  /// process rather than once a flavour (a debug worker fills them slowly).
  static func inputs(_ n: Int) -> (b: [Double], c: [Double]) {
    lastInputs.withLock { last in
      if let last, last.n == n { return (last.b, last.c) }
      let made = (n: n, b: array(n, Self.b), c: array(n, Self.c))
      last = made
      return (made.b, made.c)
    }
  }
  private static let lastInputs = Locked<(n: Int, b: [Double], c: [Double])?>(nil)

  /// `[value(0), value(1), …, value(n - 1)]`.
  static func array(_ n: Int, _ value: (Int) -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: n) { buffer, count in
      for i in 0..<n { buffer[i] = value(i) }
      count = n
    }
  }

  /// The canonical result: the exact sum of `a` and the weighted sum Σ (i+1)·a[i].
  static func result(n: Int, a: UnsafeBufferPointer<Double>) -> KernelResult {
    var sum = 0.0
    var weighted: UInt64 = 0
    for i in a.indices {
      let value = a[i]
      sum += value  // exact: integral, below 2⁵³
      weighted = weighted &+ UInt64(i &+ 1) &* UInt64(value)
    }
    var digest = FNV1a()
    digest.combine(n)
    digest.combine(UInt64(sum))
    digest.combine(weighted)
    return KernelResult(
      text: "sum \(UInt64(sum)) · weighted \(weighted.hex16) · n \(n) × \(repetitions(n)) reps",
      checksum: digest.value)
  }

  /// The driver the unsafe and C flavours share: `a` written in place through
  /// a raw pointer, `b` and `c` read through theirs, one index range a chunk.
  private final class Arrays {
    typealias Body = @Sendable (
      UnsafeMutablePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, Double, Int, Int
    ) -> Void
    let a: UnsafeMutableBufferPointer<Double>
    let b: [Double]
    let c: [Double]
    let repetitions: Int
    let triad: Body

    init(b: [Double], c: [Double], repetitions: Int, triad: @escaping Body) {
      precondition(b.count == c.count, "b and c must have the same length")
      self.b = b
      self.c = c
      self.repetitions = repetitions
      self.triad = triad
      // Every page of `a` is touched here, outside the timed region (`b` and
      // `c` were touched when they were made).
      a = .allocate(capacity: b.count)
      a.initialize(repeating: 0)
    }

    deinit { a.deallocate() }

    var cell: Cell { Cell(run: run, result: { Triad.result(n: self.a.count, a: UnsafeBufferPointer(self.a)) }) }

    func run(on executor: any ParallelExecutor) {
      let (n, chunks, triad) = (a.count, Triad.chunks, self.triad)
      // Chunk i writes only a[chunkRange(i)] and reads b and c: the writes are disjoint.
      nonisolated(unsafe) let a = a.baseAddress!
      b.withUnsafeBufferPointer { b in
        c.withUnsafeBufferPointer { c in
          nonisolated(unsafe) let (b, c) = (b.baseAddress!, c.baseAddress!)
          for _ in 0..<repetitions {
            executor.forEach(chunks) { i in
              let range = chunkRange(i, of: chunks, total: n)
              triad(a, b, c, Triad.scalar, range.lowerBound, range.upperBound)
            }
          }
        }
      }
    }
  }
}
