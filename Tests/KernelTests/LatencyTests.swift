import Testing
import CKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels
@testable import Kernels

@Suite("latency")
struct LatencyTests {
  let kernel = catalogueKernel("latency")

  /// The digest recomputed from scratch: SplitMix64 from each request's seed,
  /// folded and rotated, then FNV-1a over the requests in order.
  static func expected(requests: Int) -> String {
    var all = FNV1a()
    for request in 0..<requests {
      var generator = SplitMix64(seed: 0x1a7e_9c5e_9d2b_4f31 ^ (UInt64(request) &* 0x9e37_79b9_7f4a_7c15))
      var digest: UInt64 = 0
      for _ in 0..<Latency.rounds {
        let x = generator.next()
        digest = (digest ^ x) << 5 | (digest ^ x) >> 59
      }
      all.combine(digest)
    }
    return "requests \(requests) · digest \(all.value.hex16)"
  }

  @Test(arguments: Latency().flavours)
  func everyFlavourComputesTheIndependentDigest(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 8, on: sharedPool)
    #expect(result.text == Self.expected(requests: 8))
    #expect(kernel.verify(result, size: 8) == .noReference)
    // Checked against the wrong request count, the result is a mismatch.
    if case .mismatch = kernel.verify(result, size: 9) {} else { Issue.record("size 9 accepted 8 requests") }
  }

  /// Under a global lock the flavours still agree: the wait releases the lock.
  @Test(arguments: Latency().flavours)
  func flavoursAgreeUnderTheGIL(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 12, on: GILExecutor(sharedPool))
    #expect(result == compute(kernel, .c, size: 12))
  }

  @Test func seedsAgree() {
    #expect(Unsafe.latencySeed == CK_LATENCY_SEED)
    #expect(Idiomatic.Latency.seed == CK_LATENCY_SEED)
    for request in [0, 1, 77] {
      #expect(Unsafe.latencyWork(request, 1_000) == ck_latency_work(request, 1_000))
      #expect(Idiomatic.Latency.work(request, rounds: 1_000) == ck_latency_work(request, 1_000))
    }
  }

  @Test func isIOBoundAndOutOfTheDefaultLadder() {
    #expect(kernel.isIOBound)
    #expect(catalogue.filter(\.isIOBound).map(\.name) == ["latency"])
  }
}
