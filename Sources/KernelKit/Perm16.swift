// A permutation held in two machine words: what fannkuch-redux's unsafe and
// span flavours flip (CSources/CKernels/fannkuch_redux.c has its C twin). It
// is plain integer arithmetic, no memory, so the safe flavour uses it as it is.

/// A permutation of up to 15 elements in two words, one byte an element:
/// element i is byte i % 8 of `lo` (i < 8) or `hi` (i ≥ 8), lowest byte first.
public struct Perm16: Sendable {
  @usableFromInline var lo: UInt64 = 0
  @usableFromInline var hi: UInt64 = 0

  /// 0, 1, …, n − 1.
  @inlinable
  public init(identity n: Int) {
    for i in 0..<n {
      if i < 8 { lo |= UInt64(i) << (8 * i) } else { hi |= UInt64(i) << (8 * (i - 8)) }
    }
  }

  /// Element 0.
  @inlinable @inline(__always)
  public var first: Int { Int(truncatingIfNeeded: lo & 0xFF) }

  /// Reverses elements 0..<m, 2 ≤ m ≤ 15, without a branch on m. Byte-swapping
  /// a word reverses its eight elements; a shift right by 8 − m bytes moves the
  /// reversed prefix down to byte 0 and a mask keeps the elements beyond it. A
  /// prefix of more than 8 (m = 8 + r) takes the r reversed low bytes of `hi`
  /// followed by all of `lo` reversed, and `hi` keeps its bytes from r on. Both
  /// cases are computed (`&>>`/`&<<` mask their counts to 0...63, so both are
  /// defined) and one is selected, which compiles to conditional moves.
  @inlinable @inline(__always)
  public mutating func reversePrefix(count m: Int) {
    let rlo = lo.byteSwapped, rhi = hi.byteSwapped
    let drop = UInt64(truncatingIfNeeded: 64 &- 8 &* m)  // m ≤ 8: bits of rlo past the prefix
    let r = UInt64(truncatingIfNeeded: m &- 8) & 7  // m > 8: the prefix's elements in hi
    let keep = 64 &- 8 &* r
    let ones = UInt64.max
    let loShort = rlo &>> drop | lo & ~(ones &>> drop)
    let loLong = rhi &>> keep | rlo &<< (8 &* r)
    let hiLong = rlo &>> keep | hi & ~(ones &>> keep)
    let short = m <= 8
    lo = short ? loShort : loLong
    hi = short ? hi : hiLong
  }

  /// Rotates elements 0...i left by one (element 0 moves to i), 1 ≤ i ≤ 14.
  @inlinable @inline(__always)
  public mutating func rotatePrefix(through i: Int) {
    let first = lo & 0xFF
    if i < 8 {
      let mask = UInt64.max &>> (56 &- 8 &* i)  // bytes 0...i
      lo = lo & ~mask | (lo & mask) &>> 8 | first &<< (8 &* i)
    } else {  // rare: once every 8! permutations
      let mask = UInt64.max &>> (64 &- 8 &* (i &- 7))  // bytes 8...i, in hi
      lo = lo &>> 8 | hi &<< 56
      hi = hi & ~mask | (hi & mask) &>> 8 | first &<< (8 &* (i &- 8))
    }
  }
}
