import Testing
import CKernels
import KernelKit
import UnsafeKernels
@testable import Kernels

@Suite("fannkuch-redux")
struct FannkuchReduxTests {
  let kernel = catalogueKernel("fannkuch-redux")

  @Test(arguments: FannkuchRedux().flavours)
  func reproducesTheBenchmarksGameAtSeven(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 7, on: sharedPool)
    #expect(result.text == "checksum 228 · max flips 16", "\(result)")
    #expect(isMatch(kernel.verify(result, size: 7)))
  }

  /// n = 10 takes every flip length up to 10 and rotations of prefixes past
  /// the first word (elements 8 and 9); it costs well under a second even
  /// unoptimised in C and unsafe Swift. The idiomatic flavour is checked
  /// against them at n = 7 and 8.
  @Test(arguments: [Flavour.c, .unsafe])
  func reproducesTheBenchmarksGameAtTen(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 10, on: sharedPool)
    #expect(result.text == "checksum 73196 · max flips 38", "\(result)")
    #expect(isMatch(kernel.verify(result, size: 10)))
  }

  /// Chunks that start deep in the sequence (their first permutation rotated
  /// into place digit by digit, including prefixes longer than 8) give the
  /// same partial sums in unsafe Swift and C.
  @Test func unsafeAndCAgreeChunkByChunkAtNine() {
    let n = 9, total = 362_880, chunks = 7
    for i in 0..<chunks {
      let range = chunkRange(i, of: chunks, total: total)
      var swiftMost = 0, cMost = 0
      let swift = Unsafe.fannkuchReduxChunk(n, range.lowerBound, range.upperBound, &swiftMost)
      let c = ck_fannkuch_redux_chunk(n, range.lowerBound, range.upperBound, &cMost)
      #expect(swift == c && swiftMost == cMost, "chunk \(i)")
    }
  }

  @Test func flavoursAgreeAtEight() {
    let results = FannkuchRedux().flavours.map { compute(kernel, $0, size: 8, on: sharedPool) }
    #expect(results.allSatisfy { $0 == results[0] }, "\(results)")
  }

  /// Chunks can start anywhere: any split of 0..<n! gives the same answer.
  @Test(arguments: [1, 2, 7, 100, 719, 720])
  func anySplitGivesTheSameAnswer(chunks: Int) {
    let n = 6, total = 720
    var checksum = 0, maxFlips = 0
    for i in 0..<chunks {
      let range = chunkRange(i, of: chunks, total: total)
      var most = 0
      checksum += ck_fannkuch_redux_chunk(n, range.lowerBound, range.upperBound, &most)
      maxFlips = max(maxFlips, most)
    }
    var most = 0
    #expect(checksum == ck_fannkuch_redux_chunk(n, 0, total, &most))
    #expect(maxFlips == most)
  }
}
