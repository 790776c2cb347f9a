import Testing
import CKernels
import KernelKit
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

  @Test func md5MatchesKnownDigests() {
    #expect(hexString(md5(Array("".utf8))) == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(hexString(md5(Array("The quick brown fox jumps over the lazy dog".utf8)))
      == "9e107d9d372bb6826bd81d3542a419d6")
  }

  @Test func splitMixMatchesC() {
    var swift = SplitMix64(seed: 42)
    var state: UInt64 = 42
    for _ in 0..<100 { #expect(swift.next() == ck_splitmix64_next(&state)) }
  }
}
