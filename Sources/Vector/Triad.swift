// triad, vector flavour. See Kernels/Triad.swift.

extension Vector {
  /// `a[i] = b[i] + s·c[i]` for `i` in `lo..<hi`, eight doubles at a time,
  /// then a scalar tail; mirrors `cv_triad`.
  ///
  /// The scalar flavours' loop already vectorises, so this buys nothing in
  /// itself: every element moves 24 bytes for 2 flops, and the loop waits on
  /// memory whatever its width. It is here so that the ladder shows that: on
  /// a memory-bound kernel the vector rung is flat.
  public static func triad(
    _ a: UnsafeMutablePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
    _ s: Double, _ lo: Int, _ hi: Int
  ) {
    precondition(0 <= lo && lo <= hi, "bad index range")
    // The caller guarantees that all three arrays hold at least `hi` doubles.
    var i = lo
    while i &+ 8 <= hi {  // i <= hi: no overflow
      let bi = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Double>.self)
      let ci = UnsafeRawPointer(c + i).loadUnaligned(as: SIMD8<Double>.self)
      UnsafeMutableRawPointer(a + i).storeBytes(of: bi + s * ci, as: SIMD8<Double>.self)
      i &+= 8
    }
    while i < hi {
      a[i] = b[i] + s * c[i]
      i &+= 1
    }
  }
}
