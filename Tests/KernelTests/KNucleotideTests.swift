import Testing
import KernelKit
@testable import Kernels
@testable import UnsafeKernels

@Suite("k-nucleotide")
struct KNucleotideTests {
  let kernel = catalogueKernel("k-nucleotide")

  /// The report at tiny size, as printed by an independent Python program
  /// (same generator, `collections.Counter`, `%.3f`).
  static let tinyReport = """
    A 31.200
    T 29.810
    C 19.700
    G 19.290

    AA 9.821
    AT 9.471
    TA 9.381
    TT 8.691
    CT 6.081
    CA 6.021
    GA 5.981
    AG 5.961
    AC 5.941
    TC 5.901
    TG 5.841
    GT 5.561
    GC 4.080
    CG 3.820
    CC 3.780
    GG 3.670

    103\tGGT
    32\tGGTA
    3\tGGTATT
    0\tGGTATTTTAATT
    0\tGGTATTTTAATTTATAGT

    distinct k1 4 · k2 16 · k3 64 · k4 256 · k6 3439 · k12 9982 · k18 9983
    counts fnv1a 0xb9ae8dec2da560dd
    """

  @Test(arguments: KNucleotide().flavours)
  func reproducesTheIndependentCounts(flavour: Flavour) {
    for executor in [SequentialExecutor(), sharedPool] as [any ParallelExecutor] {
      let result = compute(kernel, flavour, size: 10_000, on: executor)
      #expect(result.text == Self.tinyReport)
      #expect(isMatch(kernel.verify(result, size: 10_000)))
      if case .mismatch(let why) = kernel.verify(result, size: 10_000) { Issue.record("\(why)") }
    }
  }

  /// The smallest valid size: slices of 63 or 64 start positions.
  @Test func flavoursAgreeAtTheSmallestSize() {
    let results = KNucleotide().flavours.map { compute(kernel, $0, size: 1_024, on: sharedPool) }
    #expect(results.allSatisfy { $0 == results[0] }, "\(results)")
  }

  @Test func branchFreeCodeMatchesTheDefinition() {
    for letter in "ACGT".utf8 {
      #expect(Unsafe.nucleotideCode(letter) == KNucleotide.code(letter))
    }
    #expect(KNucleotide.pack("GGTA".utf8) == 0b10_10_11_00)
    #expect(KNucleotide.unpack(0b10_10_11_00, k: 4) == "GGTA")
  }

  @Test func tablesHaveRoomForEveryKey() {
    #expect(KNucleotide.log2Capacity(k: 1, positions: 1_000) == 3)  // 4 keys, 8 slots
    #expect(KNucleotide.log2Capacity(k: 6, positions: 1_000_000) == 13)  // 4096 keys
    #expect(KNucleotide.log2Capacity(k: 18, positions: 1_000) == 11)  // 1000 keys
    #expect(KNucleotide.log2Capacity(k: 12, positions: 0) == 3)
  }

  /// The radix sort agrees with the standard library's sort on keys of every
  /// width it meets (one 12-bit pass or several, up to 36 bits and beyond).
  @Test(arguments: [0, 1, 12, 13, 24, 36, 64])
  func sortedByKeyMatchesSorted(keyBits: Int) {
    var random = SplitMix64(seed: UInt64(keyBits) &+ 1)
    var keys = Set<UInt64>()
    for _ in 0..<(keyBits == 0 ? 1 : 2_000) {
      keys.insert(keyBits == 0 ? 0 : random.next() &>> UInt64(64 - keyBits))
    }
    let pairs = keys.map { (key: $0, count: Int(truncatingIfNeeded: $0 &* 31 % 1_000)) }
    let expected = pairs.sorted { $0.key < $1.key }
    let sorted = KNucleotide.sortedByKey(pairs)
    #expect(sorted.map(\.key) == expected.map(\.key))
    #expect(sorted.map(\.count) == expected.map(\.count))
    #expect(KNucleotide.sortedByKey([]).isEmpty)
  }

  @Test func percentagesRoundHalfUp() {
    #expect(KNucleotide.percent(1, of: 3) == "33.333")
    #expect(KNucleotide.percent(2, of: 3) == "66.667")
    #expect(KNucleotide.percent(1, of: 200_000) == "0.001")  // 0.0005 rounds up
    #expect(KNucleotide.percent(5, of: 5) == "100.000")
  }
}
