// mandelbrot: floating-point compute and a data-dependent branch.

import CKernels
import CVectorKernels
import IdiomaticKernels
import KernelKit
import Synchronization
import UnsafeKernels
import VectorKernels

/// The Benchmarks Game's mandelbrot: an n×n bitmap over [-1.5, 0.5]×[-1, 1],
/// a pixel set when z ← z² + c stays within |z| ≤ 2 for 50 iterations.
///
/// - Bottleneck: scalar floating-point multiplies and adds, and an escape test
///   whose outcome depends on the pixel (a branch the predictor often misses
///   near the set's boundary).
/// - Chunks: rows (n chunks); rows near the middle cost more, so dynamic
///   scheduling matters.
/// - Result: the PBM file's MD5 (`P4\n<n> <n>\n` then the packed rows) and the
///   number of pixels in the set. At n = 200 the MD5 is
///   cc65e64bd553ed18896de1dfe7fae3e5: the output of the Benchmarks Game's
///   reference C program (Greg Buchholz's, 50 iterations, limit 2), which an
///   independent Python port and all three flavours reproduce, and which other
///   ports' test suites expect too (README, "mandelbrot's reference"). (The digest
///   f391ef41… quoted in our first issue is not reproduced by that program nor by
///   any of the variants we tried: check before, after, 49 or 51 iterations,
///   with or without the header.)
struct Mandelbrot: Kernel {
  let name = "mandelbrot"
  let bottleneck = "FP compute + branch"
  let summary = "Benchmarks Game escape-time bitmap, n×n over [-1.5,0.5]×[-1,1], 50 iterations"
  let parameter = "n (an n×n image)"
  let sizes = KernelSizes(tiny: 200, quick: 1_000, full: 4_000)
  let notes = KernelNotes(
    debug: "Unoptimised Swift calls the Complex operators and the range iterators as real functions for every pixel and iteration.",
    idiomatic: "Little to pay in release: the Complex struct and closures inline away; the per-row arrays and the pixel array cost allocation, not much time.",
    unsafe: "Writes bytes straight into one buffer and keeps the squares between iterations (three multiplies instead of four).",
    c: "The same loop as unsafe Swift; the compilers produce near-identical code.",
    parallel: "One row per chunk; middle rows cost more, so chunks are handed out dynamically.",
    vector: "Eight pixels per SIMD8<Double>, one output byte: every lane iterates until the byte's last pixel escapes (tested every 5 iterations), so some work is wasted, but the bitmap is bit for bit the scalar one. One iteration is a dependency chain (zr → tr → zr: a multiply and two adds), so several bytes step through it together as independent chains, their escape tests combined: as many as the registers hold, cv_mandelbrot_groups() of them (4 with AVX-512, 2 with AVX, 1 with SSE2, where one byte's eight lanes are already four independent xmm chains in all sixteen registers).",
    native: "With AVX-512 a byte's eight lanes are one zmm register, a single chain whose latency (about nine cycles an iteration), not the multipliers, set the pace when one byte was in flight; four bytes (twenty of the 32 zmm registers: cr, zr, zi, tr, ti each) keep the multiply and add pipes fed. Scalar C gains nothing from -march=native: its loop is one chain per pixel.")

  static let referenceMD5 = "cc65e64bd553ed18896de1dfe7fae3e5"

  func validate(size: Int) throws { try require(size, in: 8...32_768) }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard size == 200 else { return .noReference }
    return result.text.contains("md5 \(Self.referenceMD5)")
      ? .matches("PBM md5 of the Benchmarks Game C program, \(Self.referenceMD5)")
      : .mismatch("PBM md5 differs from the Benchmarks Game C program's \(Self.referenceMD5)")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    switch flavour {
    case .idiomatic:
      let kernel = Idiomatic.Mandelbrot(n: n)
      return Cell(run: kernel.run, result: { Self.result(n: n, bitmap: kernel.bitmap) })
    case .span:
      return Buffers(n: n, rows: Self.spanRows).cell
    case .unsafe:
      return Buffers(n: n, rows: Unsafe.mandelbrotRows).cell
    case .c:
      return Buffers(n: n, rows: { ck_mandelbrot_rows($0, $1, $2, $3) }).cell
    case .vector:
      let groups = Int(cv_mandelbrot_groups())
      return Buffers(n: n, rows: { Vector.mandelbrotRows($0, $1, $2, $3, groups: groups) }).cell
    case .cVector:
      return Buffers(n: n, rows: { cv_mandelbrot_rows($0, $1, $2, $3) }).cell
    }
  }

  // MARK: - Vector flavours and work

  /// Both vector flavours compute every bit exactly as the scalar ones do, so
  /// no flavour needs a tolerance.
  var vectorNotApplicable: String? { nil }
  let ceiling = Ceiling.multiplyAdd

  /// Flops per escape-time iteration: zi = 2·zr·zi + ci (two multiplies, one
  /// add), zr = tr − ti + cr (two), tr = zr², ti = zi² (two multiplies) and the
  /// escape test's tr + ti (one add).
  static let flopsPerIteration = 8

  /// The useful work: the iterations the scalar algorithm performs (each pixel
  /// until it escapes or reaches 50), 8 flops each. The vector flavours do more
  /// (every lane runs until the last pixel of its byte, or of the bytes
  /// iterated with it, escapes, tested every 5 iterations); those extra
  /// iterations are the price of the lanes, not work.
  /// Counting takes as long as one scalar run, so it is cached per size.
  func work(size n: Int) -> Work {
    let iterations = Self.scalarIterations(n: n)
    return Work(
      Double(iterations * Self.flopsPerIteration), .flops,
      "flops: 8 per escape-time iteration of the scalar loop (\(iterations) iterations)")
  }

  private static let iterationCounts = Mutex<[Int: Int]>([:])

  /// How many iterations the scalar loop runs over the whole n×n image.
  static func scalarIterations(n: Int) -> Int {
    if let known = iterationCounts.withLock({ $0[n] }) { return known }
    var total = 0
    for y in 0..<n {
      let ci = 2.0 * Double(y) / Double(n) - 1.0
      for x in 0..<n {
        let cr = 2.0 * Double(x) / Double(n) - 1.5
        var zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0
        var i = 0
        while i < 50 && tr + ti <= 4.0 {
          zi = 2.0 * zr * zi + ci
          zr = tr - ti + cr
          tr = zr * zr
          ti = zi * zi
          i += 1
        }
        total += i
      }
    }
    iterationCounts.withLock { $0[n] = total }
    return total
  }

  /// The PBM's MD5 (its first 8 bytes are the checksum) and the in-set count.
  static func result<C: Collection<UInt8>>(n: Int, bitmap: C) -> KernelResult {
    let digest = md5(Array("P4\n\(n) \(n)\n".utf8) + bitmap)
    let inSet = bitmap.reduce(0) { $0 + $1.nonzeroBitCount }
    let checksum = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return KernelResult(text: "in-set \(inSet) · md5 \(hexString(digest))", checksum: checksum)
  }

  /// The driver the unsafe and C flavours share: one bitmap, one row a chunk.
  private final class Buffers {
    let n: Int
    let bitmap: UnsafeMutableBufferPointer<UInt8>
    let rows: @Sendable (Int, Int, Int, UnsafeMutablePointer<UInt8>) -> Void

    init(n: Int, rows: @escaping @Sendable (Int, Int, Int, UnsafeMutablePointer<UInt8>) -> Void) {
      self.n = n
      self.rows = rows
      bitmap = .allocate(capacity: n * ((n + 7) / 8))
      bitmap.initialize(repeating: 0)
    }

    deinit { bitmap.deallocate() }

    var cell: Cell {
      Cell(run: run, result: { Mandelbrot.result(n: self.n, bitmap: self.bitmap) })
    }

    func run(on executor: any ParallelExecutor) {
      let (n, rows) = (n, rows)
      // Chunk y writes only row y of the bitmap: the chunks' bytes are disjoint.
      nonisolated(unsafe) let out = bitmap.baseAddress!
      executor.forEach(n) { y in rows(n, y, y + 1, out) }
    }
  }
}
