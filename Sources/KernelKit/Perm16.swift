// A permutation held in two machine words, and the walk over a chunk of
// permutations that fannkuch-redux's unsafe and span flavours share
// (CSources/CKernels/fannkuch_redux.c has its C twin). The permutation is plain
// integer arithmetic, no memory, so the safe flavour uses it as it is; the two
// flavours differ only in where the walk keeps its odometer.

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

// MARK: - The walk

/// Where a fannkuch-redux walk keeps its odometer: digit i (1 ≤ i < n ≤ 15)
/// counts the rotations of perm[0...i] since that prefix last came full
/// circle. The walk reads and writes one digit per permutation, and it is the
/// only memory the walk indexes: the span flavour keeps the digits in an
/// `InlineArray` (each access checked), the unsafe flavour in a stack buffer
/// (unchecked), and that is the whole difference between the two.
public protocol FannkuchOdometer {
  subscript(digit: Int) -> Int { get set }
}

extension Perm16 {
  /// Permutations `lo..<hi` of 0..<n in the Benchmarks Game's order: the
  /// signed flip sum (even-numbered permutations add their flips, odd ones
  /// subtract them) and the most flips of any one. `@inlinable`, so each
  /// flavour's call compiles to a loop specialised for its odometer.
  @inlinable
  public static func fannkuchWalk<Odometer: FannkuchOdometer>(
    _ n: Int, _ lo: Int, _ hi: Int, odometer count: inout Odometer
  ) -> (checksum: Int, maxFlips: Int) {
    precondition((1...15).contains(n) && 0 <= lo && lo < hi, "bad fannkuch-redux chunk")
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
    return (checksum, most)
  }
}
