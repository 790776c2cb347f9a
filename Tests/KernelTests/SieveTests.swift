import Testing
import CKernels
import KernelKit
@testable import Kernels

@Suite("sieve")
struct SieveTests {
  let kernel = catalogueKernel("sieve")

  @Test(arguments: Sieve().flavours)
  func countsThePrimesBelowAMillion(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 1_000_000, on: sharedPool)
    #expect(result.text == "primes 78498", "\(result)")
    #expect(isMatch(kernel.verify(result, size: 1_000_000)))
  }

  @Test(arguments: Sieve().flavours)
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
  /// (2·65,536 = 131,072 numbers each), against a plain unsegmented sieve.
  @Test(arguments: [2, 3, 4, 5, 9, 10, 25, 49, 100, 131_071, 131_072, 131_073, 131_075, 262_145])
  func edgeCasesMatchAPlainSieve(n: Int) {
    let expected = Self.plainPrimeCounts[n]
    for flavour in Sieve().flavours {
      #expect(compute(kernel, flavour, size: n).text == "primes \(expected)", "\(flavour)")
    }
  }

  /// `plainPrimeCounts[m]` is π(m) for m ≤ 262,145, by the textbook sieve.
  static let plainPrimeCounts: [Int] = {
    let limit = 262_145
    var isPrime = [Bool](repeating: true, count: limit + 1)
    isPrime[0] = false
    isPrime[1] = false
    var p = 2
    while p * p <= limit {
      if isPrime[p] { for m in stride(from: p * p, through: limit, by: p) { isPrime[m] = false } }
      p += 1
    }
    var counts = [Int](repeating: 0, count: limit + 1)
    for m in 1...limit { counts[m] = counts[m - 1] + (isPrime[m] ? 1 : 0) }
    return counts
  }()

  @Test func segmentSizesAgree() {
    #expect(Int(CK_SIEVE_SEGMENT_ODDS) == Sieve.segmentOdds)
  }

  /// Odd multiples crossed off at N = 100: p = 3 from 9 (16), 5 from 25 (8), 7 from 49 (4).
  @Test func workCountsTheCrossings() {
    #expect(Sieve().work(size: 100).amount == 28)
    #expect(Sieve().work(size: 100).unit == .elements)
  }
}
