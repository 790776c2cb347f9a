// The one seeded generator every input comes from.

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and easy to reproduce
/// bit for bit in C (`ck_splitmix64_next`) and Python. Every kernel input that is
/// not fixed by its definition comes from this generator and a documented seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// A double in [0, 1) from the top 53 bits: exact and portable.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// An integer in `0..<bound` by multiply-shift (Lemire's method without the
  /// rejection step; the bias is below 2⁻³² for the small bounds used here).
  public mutating func next(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "bound must be positive")
    return UInt64((UInt128(next()) &* UInt128(bound)) >> 64)
  }
}
