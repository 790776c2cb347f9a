import Testing
import CKernels
import KernelKit
@testable import Kernels

@Suite("sieve")
struct SieveTests {
  let kernel = catalogueKernel("sieve")

  @Test(arguments: Flavour.allCases)
  func countsThePrimesBelowAMillion(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 1_000_000, on: sharedPool)
    #expect(result.text == "primes 78498", "\(result)")
    #expect(kernel.verify(result, size: 1_000_000) != .noReference)
  }

  @Test(arguments: Flavour.allCases)
  func countsThePrimesBelowTenMillion(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 10_000_000, on: sharedPool)
    #expect(result.text == "primes 664579", "\(result)")
  }

  /// 10⁸ is 763 segments: cheap enough unoptimised only in C.
  @Test func cCountsThePrimesBelowAHundredMillion() {
    let result = compute(kernel, .c, size: 100_000_000, on: sharedPool)
    #expect(result.text == "primes 5761455", "\(result)")
  }

  /// Tiny N, squares of primes, and the edges of the first segments
  /// (2·65,536 = 131,072 numbers each), against a naive count.
  @Test(arguments: [2, 3, 4, 5, 9, 10, 25, 49, 100, 131_071, 131_072, 131_073, 131_075, 262_145])
  func edgeCasesMatchANaiveCount(n: Int) {
    let expected = (2...n).count { m in
      !stride(from: 2, through: Int(Double(m).squareRoot()), by: 1).contains { m % $0 == 0 }
    }
    for flavour in Flavour.allCases {
      #expect(compute(kernel, flavour, size: n).text == "primes \(expected)", "\(flavour)")
    }
  }

  @Test func segmentSizesAgree() {
    #expect(Int(CK_SIEVE_SEGMENT_ODDS) == Sieve.segmentOdds)
  }
}
