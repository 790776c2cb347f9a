// fannkuch-redux, span flavour. See Kernels/FannkuchRedux.swift.

extension Spans {
  /// Permutations `lo..<hi` in the Benchmarks Game's order; returns the signed
  /// flip sum and stores the most flips in `maxFlips`. Mirrors
  /// `Unsafe.fannkuchReduxChunk`.
  ///
  /// The same three 16-slot buffers on the stack, as `InlineArray`s, and the
  /// same loops; every index is checked against 16.
  public static func fannkuchReduxChunk(_ n: Int, _ lo: Int, _ hi: Int, _ maxFlips: inout Int) -> Int {
    precondition((1...16).contains(n) && 0 <= lo && lo < hi, "bad fannkuch-redux chunk")
    var perm = InlineArray<16, Int>(repeating: 0)
    var count = InlineArray<16, Int>(repeating: 0)
    var flip = InlineArray<16, Int>(repeating: 0)
    var checksum = 0, most = 0

    // Permutation number lo: its factorial digits, highest first, say how
    // many times each prefix perm[0...i] has been rotated left by one.
    var fact = 1
    for i in 1..<n { fact &*= i }  // (n-1)! <= 15!, far below Int.max
    for i in 0..<n { perm[i] = i }
    var rest = lo
    for i in stride(from: n - 1, to: 0, by: -1) {
      let d = rest / fact
      rest %= fact
      fact /= i
      count[i] = d
      for j in 0...i { flip[j] = perm[j] }
      for j in 0...i { perm[j] = flip[j &+ d <= i ? j &+ d : j &+ d &- i &- 1] }  // d <= i
    }

    var index = lo
    while true {
      // Count the flips: reverse the first perm[0] + 1 elements until 0 leads.
      if perm[0] != 0 {
        for j in 0..<n { flip[j] = perm[j] }
        var flips = 0
        var k = flip[0]
        while k != 0 {
          var a = 0, b = k
          while a < b {
            flip.swapAt(a, b)
            a &+= 1  // a < b < n
            b &-= 1  // b > a >= 0
          }
          flips &+= 1  // at most a few hundred flips for n <= 16
          k = flip[0]
        }
        checksum &+= index & 1 == 0 ? flips : -flips  // |checksum| <= n! · max flips < 2⁶³ for n <= 16
        most = max(most, flips)
      }
      index &+= 1  // index < hi
      if index == hi { break }

      // The next permutation: rotate perm[0...1] left; when that prefix has
      // come full circle, rotate perm[0...2], and so on.
      var i = 1
      while true {
        let first = perm[0]
        for j in 0..<i { perm[j] = perm[j &+ 1] }  // j + 1 <= i < n
        perm[i] = first
        count[i] &+= 1  // count[i] <= i
        if count[i] <= i { break }
        count[i] = 0
        i &+= 1  // i < n: the chunk ends before the odometer wraps
      }
    }
    maxFlips = most
    return checksum
  }
}
