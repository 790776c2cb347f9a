// The kernel contract's small tools: MD5, SplitMix64 and the chunking every
// flavour shares.

import Testing
import KernelKit

@Suite("KernelKit support")
struct SupportTests {
  /// RFC 1321's test suite, plus lengths around the 56- and 64-byte padding boundaries.
  @Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("a", "0cc175b9c0f1b6a831c399e269772661"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
    (
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a"
    ),
  ])
  func md5MatchesPublishedDigests(text: String, digest: String) {
    #expect(hexString(md5(Array(text.utf8))) == digest)
  }

  @Test func md5OfASliceEqualsMD5OfACopy() {
    let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    for length in [55, 56, 63, 64, 65, 119, 120, 128] {
      #expect(md5(bytes[3..<3 + length]) == md5(Array(bytes[3..<3 + length])), "length \(length)")
    }
  }

  /// The reference sequence of SplitMix64 from seed 0 (Vigna's splitmix64.c).
  @Test func splitMix64FollowsTheReferenceSequence() {
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xe220_a839_7b1d_cdaf)
    var a = SplitMix64(seed: 1234)
    var b = SplitMix64(seed: 1234)
    for _ in 0..<100 { #expect(a.next() == b.next()) }
  }

  @Test func splitMix64DoublesAndBoundsStayInRange() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<10_000 {
      let x = rng.nextDouble()
      #expect(x >= 0 && x < 1)
      #expect(rng.next(below: 10) < 10)
    }
  }

  /// Chunks cover `0..<total` exactly, in order, without gaps or overlaps.
  @Test(arguments: [1, 2, 3, 7, 64], [0, 1, 5, 64, 1000, 1001])
  func chunkRangesPartitionTheWork(count: Int, total: Int) {
    var next = 0
    var sizes: [Int] = []
    for i in 0..<count {
      let range = chunkRange(i, of: count, total: total)
      #expect(range.lowerBound == next, "chunk \(i) of \(count) over \(total)")
      next = range.upperBound
      sizes.append(range.count)
    }
    #expect(next == total)
    #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "chunks differ by more than one: \(sizes)")
  }
}
