// triad, span flavour. See Kernels/Triad.swift.

extension Spans {
  /// `a[i] = b[i] + s·c[i]` for `i` in `lo..<hi`, where `a` holds exactly
  /// elements `lo..<hi` and `b`, `c` the whole arrays; mirrors `Unsafe.triad`.
  ///
  /// `b` and `c` are narrowed to the chunk once, so all three spans have the
  /// loop's count and every index is one the loop already bounds.
  public static func triad(
    _ a: inout MutableSpan<Double>, _ b: Span<Double>, _ c: Span<Double>, _ s: Double, _ lo: Int, _ hi: Int
  ) {
    precondition(0 <= lo && lo <= hi && a.count == hi - lo, "bad index range")
    let b = b.extracting(lo..<hi), c = c.extracting(lo..<hi)
    for i in 0..<a.count {
      a[i] = b[i] + s * c[i]
    }
  }
}
