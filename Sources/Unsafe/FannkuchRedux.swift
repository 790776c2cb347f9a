// fannkuch-redux, unsafe flavour. See Kernels/FannkuchRedux.swift.

import KernelKit

extension Unsafe {
  /// Permutations `lo..<hi` in the Benchmarks Game's order; returns the signed
  /// flip sum and stores the most flips in `maxFlips`. Mirrors
  /// `ck_fannkuch_redux_chunk`.
  ///
  /// The permutation lives in two 64-bit registers, one byte an element
  /// (`Perm16`), so a flip is a byte swap, shifts and masks with no loop and
  /// no branch on its length, and a rotation of the prefix is a few shifts.
  /// The only unpredictable branch left is the end of each permutation's
  /// flips. The odometer's digits sit in a 16-slot stack buffer, unchecked.
  public static func fannkuchReduxChunk(
    _ n: Int, _ lo: Int, _ hi: Int, _ maxFlips: UnsafeMutablePointer<Int>
  ) -> Int {
    precondition((1...15).contains(n) && 0 <= lo && lo < hi, "bad fannkuch-redux chunk")
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 16) { buffer in
      let count = buffer.baseAddress!
      count.initialize(repeating: 0, count: 16)
      var checksum = 0, most = 0
      var perm = Perm16(identity: n)

      // Permutation number lo: its factorial digits, highest first, say how
      // many times each prefix perm[0...i] has been rotated left by one.
      var fact = 1
      for i in 1..<n { fact &*= i }  // (n-1)! <= 14!, far below Int.max
      var rest = lo
      for i in stride(from: n - 1, to: 0, by: -1) {
        let d = rest / fact
        rest %= fact
        fact /= i
        count[i] = d
        for _ in 0..<d { perm.rotatePrefix(through: i) }
      }

      var index = lo
      while true {
        // Count the flips: reverse the first perm[0] + 1 elements until 0 leads.
        var first = perm.first
        if first != 0 {
          var p = perm
          var flips = 0
          repeat {
            p.reversePrefix(count: first &+ 1)  // first < n <= 15
            flips &+= 1  // at most a few hundred flips for n <= 15
            first = p.first
          } while first != 0
          checksum &+= index & 1 == 0 ? flips : -flips  // |checksum| <= n! · max flips < 2⁶³ for n <= 15
          most = max(most, flips)
        }
        index &+= 1  // index < hi
        if index == hi { break }

        // The next permutation: rotate perm[0...1] left; when that prefix has
        // come full circle, rotate perm[0...2], and so on (an odometer whose
        // digit i counts in base i + 1).
        var i = 1
        while true {
          perm.rotatePrefix(through: i)
          count[i] &+= 1  // count[i] <= i
          if count[i] <= i { break }
          count[i] = 0
          i &+= 1  // i < n: the chunk ends before the odometer wraps
        }
      }
      maxFlips.pointee = most
      return checksum
    }
  }
}
