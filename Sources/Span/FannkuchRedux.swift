// fannkuch-redux, span flavour. See Kernels/FannkuchRedux.swift.

import KernelKit

extension Spans {
  /// Permutations `lo..<hi` in the Benchmarks Game's order; returns the signed
  /// flip sum and stores the most flips in `maxFlips`. Mirrors
  /// `Unsafe.fannkuchReduxChunk`.
  ///
  /// The same representation and the same walk (`Perm16.fannkuchWalk`): the
  /// permutation is a `Perm16`, two words that are flipped and rotated with
  /// shifts and masks and index no memory, so there is nothing to check there.
  /// The odometer's digits are an `InlineArray` on the stack, where the unsafe
  /// flavour has an unchecked buffer: its accesses are the only checked ones,
  /// one or a few per permutation.
  public static func fannkuchReduxChunk(_ n: Int, _ lo: Int, _ hi: Int, _ maxFlips: inout Int) -> Int {
    var digits = FannkuchDigits()
    let (checksum, most) = Perm16.fannkuchWalk(n, lo, hi, odometer: &digits)
    maxFlips = most
    return checksum
  }

  /// The odometer in an `InlineArray`: every access is bounds-checked.
  struct FannkuchDigits: FannkuchOdometer {
    var digits = InlineArray<16, Int>(repeating: 0)

    subscript(digit: Int) -> Int {
      get { digits[digit] }
      set { digits[digit] = newValue }
    }
  }
}
