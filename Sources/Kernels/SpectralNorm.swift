// spectral-norm: floating-point divides in O(n²) matrix-vector products.

import CKernels
import CVectorKernels
import IdiomaticKernels
import KernelKit
import SpanKernels
import UnsafeKernels
import VectorKernels

/// The Benchmarks Game's spectral-norm: the largest singular value of the n×n
/// matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1) (0-based), by the power method.
///
/// - Algorithm: u = (1, …, 1); ten times v = AᵀA·u, u = AᵀA·v; the answer is
///   √(u·v / v·v), printed with 9 decimals. A is never stored: each entry is
///   recomputed (integer multiply, convert, divide) whenever it is used.
/// - Bottleneck: one floating-point divide per entry, 40 n² of them, feeding a
///   serial sum (the scalar flavours keep the additions' order, so the
///   compilers vectorise nothing; the vector flavours choose another order).
/// - Chunks: rows of each of the four products per iteration, min(64, n)
///   chunks; each product is one parallel phase (it needs the whole previous
///   vector), so a run has 40 barriers.
/// - Result: the norm. The scalar flavours add the same products in the same
///   order (C with `FP_CONTRACT OFF`), so they agree bit for bit; the vector
///   flavours add each row in eight lanes (bit for bit with each other), so
///   the kernel's tolerance is 1e-12 relative.
///   n = 100 gives the Benchmarks Game's 1.274219991 and n = 5500 its
///   1.274224153.
struct SpectralNorm: Kernel {
  let name = "spectral-norm"
  let bottleneck = "FP divide, O(n²) mat-vec"
  let summary = "Benchmarks Game power method for the norm of an implicit n×n matrix, 10 iterations of AᵀA"
  let parameter = "n (an n×n matrix)"
  let sizes = KernelSizes(tiny: 100, quick: 350, full: 3_000)
  let notes = KernelNotes(
    debug: "Unoptimised Swift calls the entry function, the enumerated() iterator and the overflow-checked integer operators for every one of the 40 n² entries.",
    idiomatic: "Overflow checks on the entry's integer arithmetic and a bounds check per element cost little beside the divide; each product allocates its chunks' arrays and joins them.",
    unsafe: "Wrapping integer arithmetic (the size limit keeps it far from overflow) and raw pointers; the divide and the in-order sum still set the pace.",
    c: "The same loop as unsafe Swift.",
    parallel: "Rows of each product are independent and equally costly; 40 barriers a run, cheap beside n² divides per product.",
    vector: "Eight columns per SIMD8<Double>: the denominators in exact Double lanes, one vector divide per eight entries, eight partial sums added pairwise at the end (another rounding than the scalar order: tolerance 1e-12). Built for baseline x86-64, SSE2 divides two lanes an instruction, and the divider, not the arithmetic around it, sets the pace.",
    native: "AVX-512 divides eight lanes per instruction (AVX2 four), and the loop is still bound by the divider's throughput.")

  static let iterations = 10

  /// The Benchmarks Game's published output, by n.
  static let reference: [Int: String] = [100: "1.274219991", 5_500: "1.274224153"]

  func validate(size: Int) throws { try require(size, in: 1...65_536) }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard let expected = Self.reference[size] else { return .noReference }
    guard let norm = result.values.first else { return .mismatch("no norm in \(result)") }
    let got = formatFixed(norm, 9)
    return got == expected
      ? .matches("the Benchmarks Game's \(expected)")
      : .mismatch("norm \(got); the Benchmarks Game prints \(expected)")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let chunks = Self.chunks(n: n)
    switch flavour {
    case .idiomatic:
      let kernel = Idiomatic.SpectralNorm(n: n, chunks: chunks)
      return Cell(run: kernel.run, result: { Self.result(kernel.norm) })
    case .span:
      return Buffers(
        n: n, chunks: chunks, times: Self.spanProduct(Spans.spectralNormATimesU),
        transposedTimes: Self.spanProduct(Spans.spectralNormAtTimesU), dot: Self.spanDot
      ).cell
    case .unsafe:
      return Buffers(
        n: n, chunks: chunks, times: Unsafe.spectralNormATimesU,
        transposedTimes: Unsafe.spectralNormAtTimesU, dot: Unsafe.spectralNormDot
      ).cell
    case .c:
      return Buffers(
        n: n, chunks: chunks,
        times: { ck_spectral_norm_a_times_u($0, $1, $2, $3, $4) },
        transposedTimes: { ck_spectral_norm_at_times_u($0, $1, $2, $3, $4) },
        dot: { ck_spectral_norm_dot($0, $1, $2) }
      ).cell
    case .vector:
      return Buffers(
        n: n, chunks: chunks, times: Vector.spectralNormATimesU,
        transposedTimes: Vector.spectralNormAtTimesU, dot: Vector.spectralNormDot
      ).cell
    case .cVector:
      return Buffers(
        n: n, chunks: chunks,
        times: { cv_spectral_norm_a_times_u($0, $1, $2, $3, $4) },
        transposedTimes: { cv_spectral_norm_at_times_u($0, $1, $2, $3, $4) },
        dot: { cv_spectral_norm_dot($0, $1, $2) }
      ).cell
    }
  }

  static func chunks(n: Int) -> Int { min(64, n) }

  // MARK: - Vector flavours, tolerance and work

  var vectorNotApplicable: String? { nil }
  let ceiling = Ceiling.divide(item: "entry") { n in Double(SpectralNorm.iterations * 4) * Double(n) * Double(n) }

  /// The scalar flavours agree bit for bit; the vector flavours compute the
  /// same entries but add each row in eight interleaved partial sums (lane k
  /// takes j ≡ k mod 8), so their norm differs in the last few bits. The power
  /// method converges to the same value whatever the rounding, so the
  /// difference stays far below this (see SpectralNormTests) and the published
  /// 9 decimals are unaffected.
  var tolerance: Double { SpectralNorm.vectorTolerance }

  /// Relative tolerance between any two flavours' norms.
  static let vectorTolerance = 1e-12

  /// Three flops per use of an entry (the divide that makes it, the multiply
  /// by u[j], the add), n² entries per product, 4 products per iteration; plus
  /// the two final dot products. The denominator's index arithmetic is not
  /// counted (integer in the scalar flavours, exact `Double` in the vector ones).
  func work(size n: Int) -> Work {
    let entries = Double(Self.iterations * 4) * Double(n) * Double(n)
    return Work(3 * entries + 4 * Double(n) + 2, .flops, "flops: 3 per matrix entry used (÷ counts 1)")
  }

  static func result(_ norm: Double) -> KernelResult {
    KernelResult(text: "norm \(formatFixed(norm, 9))", checksum: 0, values: [norm])
  }

  // MARK: - Driver for the unsafe and C flavours

  typealias Product = @Sendable (Int, Int, Int, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  typealias Dot = @Sendable (Int, UnsafePointer<Double>, UnsafePointer<Double>) -> Double

  /// Three n-vectors in raw buffers: u, v, and w for A·u between Aᵀ products.
  private final class Buffers {
    let n: Int
    let chunks: Int
    let times: Product
    let transposedTimes: Product
    let dot: Dot
    let u: UnsafeMutableBufferPointer<Double>
    let v: UnsafeMutableBufferPointer<Double>
    let w: UnsafeMutableBufferPointer<Double>
    var norm = 0.0

    init(n: Int, chunks: Int, times: @escaping Product, transposedTimes: @escaping Product, dot: @escaping Dot) {
      self.n = n
      self.chunks = chunks
      self.times = times
      self.transposedTimes = transposedTimes
      self.dot = dot
      u = .allocate(capacity: n)
      v = .allocate(capacity: n)
      w = .allocate(capacity: n)
      for buffer in [u, v, w] { buffer.initialize(repeating: 0) }
    }

    deinit {
      for buffer in [u, v, w] { buffer.deallocate() }
    }

    var cell: Cell {
      Cell(run: run, result: { SpectralNorm.result(self.norm) })
    }

    func run(on executor: any ParallelExecutor) {
      let (u, v, w) = (u.baseAddress!, v.baseAddress!, w.baseAddress!)
      u.update(repeating: 1, count: n)
      for _ in 0..<SpectralNorm.iterations {
        product(times, of: u, into: w, on: executor)
        product(transposedTimes, of: w, into: v, on: executor)
        product(times, of: v, into: w, on: executor)
        product(transposedTimes, of: w, into: u, on: executor)
      }
      norm = (dot(n, u, v) / dot(n, v, v)).squareRoot()
    }

    /// One product as one parallel phase.
    private func product(
      _ body: @escaping Product, of x: UnsafeMutablePointer<Double>,
      into y: UnsafeMutablePointer<Double>, on executor: any ParallelExecutor
    ) {
      let (n, chunks) = (n, chunks)
      // Chunks only read `x` and write only their own rows of `y`, a different
      // buffer: the writes are disjoint and nothing read is written.
      nonisolated(unsafe) let input = UnsafePointer(x)
      nonisolated(unsafe) let output = y
      executor.forEach(chunks) { chunk in
        let rows = chunkRange(chunk, of: chunks, total: n)
        body(n, rows.lowerBound, rows.upperBound, input, output)
      }
    }
  }
}
