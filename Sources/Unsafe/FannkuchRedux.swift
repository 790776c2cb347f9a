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
  /// flips. The walk (`Perm16.fannkuchWalk`) is the span flavour's; here the
  /// odometer's digits sit in a 16-slot stack buffer, unchecked.
  public static func fannkuchReduxChunk(
    _ n: Int, _ lo: Int, _ hi: Int, _ maxFlips: UnsafeMutablePointer<Int>
  ) -> Int {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 16) { buffer in
      var digits = FannkuchDigits(base: buffer.baseAddress!)
      digits.base.initialize(repeating: 0, count: 16)
      let (checksum, most) = Perm16.fannkuchWalk(n, lo, hi, odometer: &digits)
      maxFlips.pointee = most
      return checksum
    }
  }

  /// The odometer in a stack buffer, read and written without a check.
  struct FannkuchDigits: FannkuchOdometer {
    let base: UnsafeMutablePointer<Int>

    subscript(digit: Int) -> Int {
      get { base[digit] }
      nonmutating set { base[digit] = newValue }
    }
  }
}
