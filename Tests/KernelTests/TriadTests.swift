import Testing
import KernelKit
@testable import Kernels

@Suite("triad")
struct TriadTests {
  let kernel = catalogueKernel("triad")

  /// Every flavour reproduces the independently computed sums, on one thread
  /// and on a pool.
  @Test(arguments: Triad().flavours)
  func matchesTheClosedForm(flavour: Flavour) {
    for n in [kernel.sizes.tiny, 4_099] {
      for executor in [SequentialExecutor(), sharedPool] as [any ParallelExecutor] {
        let result = compute(kernel, flavour, size: n, on: executor)
        #expect(isMatch(kernel.verify(result, size: n)))
        if case .mismatch(let why) = kernel.verify(result, size: n) { Issue.record("\(flavour) n \(n): \(why)") }
      }
    }
  }

  /// A hand-computed case: n = 64, a[i] = i % 1000 + 3·(i % 7).
  @Test func smallSumIsExact() {
    let expected = (0..<64).reduce(0) { $0 + $1 + 3 * ($1 % 7) }
    for flavour in Triad().flavours {
      let result = compute(kernel, flavour, size: 64)
      #expect(result.text.hasPrefix("sum \(expected) "), "\(flavour): \(result)")
    }
  }

  @Test func repetitionsGrowWithSize() {
    #expect(Triad.repetitions(4_096) == 1)
    #expect(Triad.repetitions(1 << 23) == 1)
    #expect(Triad.repetitions(1 << 24) == 4)
    #expect(Triad.repetitions(1 << 25) == 16)
  }

  /// The exact-sum argument needs n · 1017 < 2⁵³ at the largest size the
  /// kernel accepts (read from the kernel, so raising its limit re-checks it).
  @Test func largestSizeKeepsTheSumExact() throws {
    try kernel.validate(size: Triad.maxSize)
    #expect(throws: SizeError.self) { try kernel.validate(size: Triad.maxSize + 1) }
    #expect(Double(Triad.maxSize) * 1017 < 0x1p53)
  }

  /// STREAM's count: 24 bytes an element a repetition.
  @Test func workIsStreamBytes() {
    let work = kernel.work(size: 1 << 25)
    #expect(work.unit == .bytes)
    #expect(work.amount == 24 * Double(1 << 25) * 16)
  }

  /// The vector flavours write exactly their range, including a tail shorter
  /// than a vector and a range that does not start on a multiple of 8.
  @Test(arguments: [Flavour.vector, .cVector])
  func vectorRangesAndTails(flavour: Flavour) {
    for n in [64, 71, 4_099] {
      #expect(isMatch(kernel.verify(compute(kernel, flavour, size: n, on: sharedPool), size: n)), "\(flavour) n \(n)")
    }
  }
}
