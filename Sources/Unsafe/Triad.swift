// triad, unsafe flavour. See Kernels/Triad.swift.

extension Unsafe {
  /// `a[i] = b[i] + s·c[i]` for `i` in `lo..<hi`, in place; mirrors `ck_triad`.
  ///
  /// No bounds checks and no copies: the caller guarantees that all three
  /// arrays hold at least `hi` doubles. The loop vectorises; it is limited by
  /// memory bandwidth, not by arithmetic.
  public static func triad(
    _ a: UnsafeMutablePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafePointer<Double>,
    _ s: Double, _ lo: Int, _ hi: Int
  ) {
    precondition(0 <= lo && lo <= hi, "bad index range")
    for i in lo..<hi {
      a[i] = b[i] + s * c[i]
    }
  }
}
