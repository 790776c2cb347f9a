// sieve, span flavour. See Kernels/Sieve.swift.

extension Spans {
  /// Odd numbers per segment; equals `Unsafe.sieveSegmentOdds` (checked by the kernel).
  public static let sieveSegmentOdds = 65_536

  /// The odd primes 3...limit into `primes`, by a plain sieve over the odd
  /// numbers in `composite`; mirrors `Unsafe.sieveBasePrimes`.
  public static func sieveBasePrimes(
    _ limit: Int, _ composite: inout MutableSpan<UInt8>, _ primes: inout MutableSpan<Int>
  ) -> Int {
    // composite[i] stands for the odd number 2i + 1; i = 0 (the number 1) is skipped.
    let odds = (limit + 1) / 2
    precondition(composite.count >= odds && primes.count >= odds, "scratch too small")
    for i in 0..<max(odds, 0) { composite[i] = 0 }
    var count = 0
    var i = 1
    while i < odds {
      if composite[i] == 0 {
        let p = 2 &* i &+ 1  // p <= limit
        primes[count] = p
        count &+= 1  // count <= odds
        var j = (p &* p &- 1) / 2  // p² <= limit² fits easily
        while j < odds {
          composite[j] = 1
          j &+= p  // j < odds, p small
        }
      }
      i &+= 1
    }
    return count
  }

  /// How many odd primes lie among the odd numbers 2i + 1 <= n with i in
  /// segment `segment`, given the odd primes up to at least √n in `primes`;
  /// mirrors `Unsafe.sieveSegment`.
  ///
  /// The segment is the same 8 KiB of bits on the stack, an `InlineArray` of
  /// 1024 words instead of a temporary allocation. Crossing off masks the
  /// word index with 1023, which changes nothing (j < size ≤ 65 536) but is
  /// a bound the optimiser can see, so the `or` into the word is unchecked.
  public static func sieveSegment(_ n: Int, _ segment: Int, _ primes: Span<Int>) -> Int {
    // Bit j of `bits` stands for the odd number 2(first + j) + 1.
    var bits = InlineArray<1024, UInt64>(repeating: 0)
    let odds = (n + 1) / 2
    let first = segment * sieveSegmentOdds
    let size = min(odds - first, sieveSegmentOdds)
    precondition(size > 0, "sieve segment out of range")
    let low = 2 * first + 1, high = 2 * (first + size) - 1  // the odd numbers in the segment
    if segment == 0 { bits[0] = 1 }  // 1 is not prime

    for k in 0..<primes.count {
      let p = primes[k]
      if p &* p > high { break }  // p <= √n + small: no overflow
      // The first odd multiple of p in the segment that is at least p².
      var m = p &* p
      if m < low {
        m = low &+ (p &- low % p) % p
        if m & 1 == 0 { m &+= p }
      }
      var j = (m &- low) >> 1
      while j < size {
        bits[(j >> 6) & 1023] |= 1 << UInt64(j & 63)  // j < size <= 65 536: the mask changes nothing
        j &+= p  // j < size <= sieveSegmentOdds
      }
    }

    // Count the zero bits among the first `size`; bits past `size` are set first.
    if size % 64 != 0 { bits[size / 64] |= ~0 << UInt64(size % 64) }
    var primesHere = 0
    for w in 0..<(size + 63) / 64 {
      primesHere &+= 64 &- bits[w].nonzeroBitCount  // at most 64 per word
    }
    return primesHere
  }
}
