import Testing
import CKernels
import KernelKit
import VectorKernels
@testable import Kernels

@Suite("mandelbrot")
struct MandelbrotTests {
  let kernel = catalogueKernel("mandelbrot")

  @Test(arguments: Mandelbrot().flavours)
  func reproducesTheBenchmarksGameBitmap(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 200, on: sharedPool)
    #expect(result.text.contains("md5 cc65e64bd553ed18896de1dfe7fae3e5"), "\(result)")
    #expect(isMatch(kernel.verify(result, size: 200)))
  }

  /// Widths that are not a multiple of 8 pad the last byte of each row.
  @Test(arguments: [9, 13, 31])
  func oddWidthsAgree(n: Int) {
    let results = Mandelbrot().flavours.map { compute(kernel, $0, size: n) }
    #expect(results.allSatisfy { $0 == results[0] }, "\(results)")
  }

  /// The vector flavours iterate eight pixels past their escape and test
  /// every 5 iterations, yet every bit equals the scalar C flavour's, at widths
  /// that are and are not multiples of 8 (the last byte's padding lanes), and
  /// whose rows leave bytes after the last whole group of 4 (17: 3 bytes, a
  /// pair and a single; 41: 6, a group and a pair; 203: 26; 1,000: 125).
  @Test(arguments: [8, 17, 41, 64, 203, 1_000])
  func vectorBitmapsEqualScalar(n: Int) {
    let scalar = compute(kernel, .c, size: n, on: sharedPool)
    for flavour in [Flavour.vector, .cVector] {
      #expect(compute(kernel, flavour, size: n, on: sharedPool) == scalar, "\(flavour) at n = \(n)")
    }
  }

  /// Every group count the Swift flavour accepts gives the C flavour's bitmap,
  /// whatever this build's registers make `cv_mandelbrot_groups()`, on row
  /// widths of 1 to 13 bytes (every remainder after groups of 4 and pairs).
  @Test(arguments: [1, 2, 4])
  func everyGroupCountGivesTheSameBits(groups: Int) {
    for n in [8, 15, 16, 23, 31, 40, 47, 59, 64, 77, 100, 104] {
      let rowBytes = (n + 7) / 8
      var swift = [UInt8](repeating: 0xA5, count: n * rowBytes)
      var c = [UInt8](repeating: 0x5A, count: n * rowBytes)
      swift.withUnsafeMutableBufferPointer { Vector.mandelbrotRows(n, 0, n, $0.baseAddress!, groups: groups) }
      c.withUnsafeMutableBufferPointer { ck_mandelbrot_rows(n, 0, n, $0.baseAddress!) }
      #expect(swift == c, "\(groups) groups at n = \(n)")
    }
  }

  /// The declared work counts the scalar loop's iterations exactly: at n = 8 the
  /// count is small enough to check by hand against an independent loop.
  @Test func workCountsTheScalarIterations() {
    let n = 8
    var iterations = 0
    for y in 0..<n {
      for x in 0..<n {
        let c = (2.0 * Double(x) / Double(n) - 1.5, 2.0 * Double(y) / Double(n) - 1.0)
        var z = (0.0, 0.0)
        for _ in 0..<50 {
          iterations += 1
          z = (z.0 * z.0 - z.1 * z.1 + c.0, 2.0 * z.0 * z.1 + c.1)
          if z.0 * z.0 + z.1 * z.1 > 4 { break }
        }
      }
    }
    #expect(Mandelbrot.scalarIterations(n: n) == iterations)
    let work = Mandelbrot().work(size: n)
    #expect(work.unit == .flops && work.amount == Double(8 * iterations))
  }

  @Test func splitMixMatchesC() {
    var swift = SplitMix64(seed: 42)
    var state: UInt64 = 42
    for _ in 0..<100 { #expect(swift.next() == ck_splitmix64_next(&state)) }
  }
}
