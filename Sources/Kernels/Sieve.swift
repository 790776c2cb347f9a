// sieve: integer work, memory and branches.

import CKernels
import IdiomaticKernels
import KernelKit
import SpanKernels
import UnsafeKernels

/// Counts the primes ≤ N with a segmented sieve of Eratosthenes over the odd
/// numbers.
///
/// - Algorithm: the odd base primes up to ⌊√N⌋ are found first by a plain sieve
///   (inside the timed run: at N = 10⁹ that is 15,811 odd numbers, negligible),
///   then the odd numbers 1, 3, 5, … ≤ N are cut into segments of 65,536
///   (`segmentOdds`, fixed: it never depends on the thread count). Each segment
///   crosses off the odd multiples of every base prime p from max(p², first in
///   segment) with step 2p and counts what is left; the prime 2 is added once.
/// - Bottleneck: stores at a stride of p into the segment (a loop whose trip
///   count changes with every prime), one division per base prime per segment
///   to find the first multiple, then a counting pass; memory traffic is kept
///   in cache by the segmentation.
/// - Chunks: one per segment, ⌈⌈N/2⌉ / 65,536⌉ of them (77 at N = 10⁷); their
///   counts are added in chunk order.
/// - Same algorithm, two representations: the idiomatic flavour's segment is a
///   `[Bool]` (64 KiB, one byte per odd number), the unsafe and C flavours' is a
///   bit array (8 KiB on the stack, one bit per odd number, counted by
///   popcount). Both cross off exactly the same numbers in the same segments.
/// - Result: `primes 78498` at N = 10⁶; π(10ᵏ) is known for every k.
struct Sieve: Kernel {
  let name = "sieve"
  let bottleneck = "integer, memory, branchy"
  let summary = "count the primes ≤ N with a segmented sieve of Eratosthenes over the odd numbers"
  let parameter = "N (count primes ≤ N)"
  let sizes = KernelSizes(tiny: 1_000_000, quick: 10_000_000, full: 1_000_000_000)
  let notes = KernelNotes(
    debug: "Unoptimised Swift runs stride(from:to:by:) as a real iterator with a call per crossed-off number, each store a bounds-checked, uniqueness-checked array write.",
    idiomatic: "In release the stride loop compiles to a plain loop, but each store keeps its bounds check, each segment allocates a fresh 64 KiB [Bool], and a byte per odd number means eight times the memory traffic of a bit array when counting.",
    unsafe: "An 8 KiB bit array on the stack (one bit per odd number, L1-resident), unchecked or-stores, popcount to count; gives up bounds checks.",
    c: "The same bit array and loops as unsafe Swift; popcount written portably (SWAR), which clang recognises like Swift's nonzeroBitCount.",
    parallel: "One chunk per segment of 65,536 odd numbers, a fixed size; every segment redoes one division per base prime to find its first multiples, which is the price of independence. The base primes (up to √N) are found once, sequentially, before the parallel phase.",
    vector: Self.noVectors,
    native: "Little to buy: the inner loop is an or-store with a variable stride, which newer instructions do not shorten, and a native popcount instruction only speeds up the small counting pass (scalar C built both ways outside the package showed no difference beyond the noise; docs/FINDINGS.md).")

  /// Odd numbers per segment (one chunk); the C and unsafe flavours' constant must agree.
  static let segmentOdds = 65_536

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "scatter-bound: crossing off is one store every p bits, a stride that changes with each prime, which lanes cannot share; the one lane-friendly part, counting, is a small share of a run (docs/FINDINGS.md), so vectors could buy little"
  var vectorNotApplicable: String? { Self.noVectors }
  let ceiling = Ceiling.none("strided byte stores: no measured ceiling")

  /// The odd multiples crossed off, counted with repeats (a composite with
  /// several odd prime factors is crossed off once for each factor p with
  /// p² ≤ it): Σ over odd primes p ≤ √N of ⌊(N − p²) / 2p⌋ + 1. That is what
  /// every segment's inner loop does, summed; the counting pass, one popcount
  /// per 64 odd numbers, is not counted.
  func work(size n: Int) -> Work {
    let limit = Self.integerSquareRoot(n)
    var composite = [Bool](repeating: false, count: limit + 1)
    var crossings = 0
    var p = 3
    while p <= limit {
      if !composite[p] {
        crossings += (n - p * p) / (2 * p) + 1
        for m in stride(from: p * p, through: limit, by: p) { composite[m] = true }
      }
      p += 2
    }
    return Work(Double(max(crossings, 1)), .elements, "odd multiples crossed off (with repeats)")
  }

  /// π(10ᵏ), k = 1...10.
  static let references: [Int: Int] = [
    10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592, 1_000_000: 78_498,
    10_000_000: 664_579, 100_000_000: 5_761_455, 1_000_000_000: 50_847_534,
    10_000_000_000: 455_052_511,
  ]

  /// 2 ≤ N ≤ 10¹⁰: memory stays small at any N (fixed segments, base primes up
  /// to 10⁵), but the time grows with N, and 10¹⁰ is already a long run in C.
  func validate(size: Int) throws {
    try require(size, in: 2...10_000_000_000, "above 10¹⁰ a run takes minutes")
  }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard let reference = Self.references[size] else { return .noReference }
    return result.text == Self.text(primes: reference)
      ? .matches("π(\(size)) = \(reference)")
      : .mismatch("expected π(\(size)) = \(reference)")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    switch flavour {
    case .vector, .cVector:
      preconditionFailure("\(name) has no \(flavour) flavour: \(notApplicable(flavour) ?? "")")
    case .idiomatic:
      let kernel = Idiomatic.Sieve(n: n, segmentOdds: Self.segmentOdds)
      return Cell(run: kernel.run, result: { Self.result(primes: kernel.primeCount) })
    case .span:
      precondition(Spans.sieveSegmentOdds == Self.segmentOdds, "span segment size differs")
      return Driver(n: n, basePrimes: Self.spanBasePrimes, segment: Self.spanSegment).cell
    case .unsafe:
      precondition(Unsafe.sieveSegmentOdds == Self.segmentOdds, "unsafe segment size differs")
      return Driver(n: n, basePrimes: Unsafe.sieveBasePrimes, segment: Unsafe.sieveSegment).cell
    case .c:
      precondition(Int(CK_SIEVE_SEGMENT_ODDS) == Self.segmentOdds, "C segment size differs")
      return Driver(
        n: n, basePrimes: { ck_sieve_base_primes($0, $1, $2) },
        segment: { ck_sieve_segment($0, $1, $2, $3) }
      ).cell
    }
  }

  static func text(primes: Int) -> String { "primes \(primes)" }

  static func result(primes: Int) -> KernelResult {
    var digest = FNV1a()
    digest.combine(primes)
    return KernelResult(text: text(primes: primes), checksum: digest.value)
  }

  /// ⌊√n⌋, exactly (the floating-point root corrected by one step either way).
  static func integerSquareRoot(_ n: Int) -> Int {
    var r = Int(Double(n).squareRoot())
    while r * r > n { r -= 1 }
    while (r + 1) * (r + 1) <= n { r += 1 }
    return r
  }

  /// The driver the unsafe and C flavours share: base primes into a buffer
  /// allocated here (outside the timed run), then one call per segment.
  private final class Driver {
    typealias BasePrimes = (Int, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>) -> Int
    typealias Segment = @Sendable (Int, Int, UnsafePointer<Int>, Int) -> Int
    let n: Int
    let limit: Int
    let basePrimes: BasePrimes
    let segment: Segment
    /// Scratch for the base sieve: one byte per odd number up to `limit`.
    let composite: UnsafeMutableBufferPointer<UInt8>
    /// The odd base primes; fewer than the odd numbers up to `limit`.
    let primes: UnsafeMutableBufferPointer<Int>
    var primeCount = 0

    init(n: Int, basePrimes: @escaping BasePrimes, segment: @escaping Segment) {
      self.n = n
      self.basePrimes = basePrimes
      self.segment = segment
      limit = Sieve.integerSquareRoot(n)
      composite = .allocate(capacity: (limit + 1) / 2 + 1)
      composite.initialize(repeating: 0)
      primes = .allocate(capacity: (limit + 1) / 2 + 1)
      primes.initialize(repeating: 0)
    }

    deinit {
      composite.deallocate()
      primes.deallocate()
    }

    var cell: Cell { Cell(run: run, result: { Sieve.result(primes: self.primeCount) }) }

    func run(on executor: any ParallelExecutor) {
      let (n, segment) = (n, segment)
      let count = basePrimes(limit, composite.baseAddress!, primes.baseAddress!)
      let segments = ((n + 1) / 2 + Sieve.segmentOdds - 1) / Sieve.segmentOdds
      // Chunks only read the base primes, written before the parallel phase.
      nonisolated(unsafe) let basePrimes = UnsafePointer(primes.baseAddress!)
      primeCount = 1 + executor.map(segments) { s in segment(n, s, basePrimes, count) }.reduce(0, +)
    }
  }
}
