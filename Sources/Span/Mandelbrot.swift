// mandelbrot, span flavour. See Kernels/Mandelbrot.swift.

extension Spans {
  /// Rows `lo..<hi` of the n×n bitmap into `rows`, which holds exactly those
  /// rows; mirrors `Unsafe.mandelbrotRows`.
  ///
  /// The same loop; the byte store, once per eight pixels, is a checked
  /// `MutableSpan` store.
  public static func mandelbrotRows(_ n: Int, _ lo: Int, _ hi: Int, _ rows: inout MutableSpan<UInt8>) {
    let rowBytes = (n + 7) / 8
    precondition(0 <= lo && lo <= hi && rows.count == (hi - lo) * rowBytes, "rows out of range")
    for y in lo..<hi {
      let row = (y - lo) * rowBytes
      let ci = 2.0 * Double(y) / Double(n) - 1.0
      var byte: UInt32 = 0
      for x in 0..<n {
        let cr = 2.0 * Double(x) / Double(n) - 1.5
        var zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0
        var i = 0
        while i < 50 && tr + ti <= 4.0 {
          zi = 2.0 * zr * zi + ci
          zr = tr - ti + cr
          tr = zr * zr
          ti = zi * zi
          i &+= 1  // i < 50
        }
        byte = byte << 1 | (tr + ti <= 4.0 ? 1 : 0)
        if x & 7 == 7 {
          rows[row &+ x >> 3] = UInt8(truncatingIfNeeded: byte)  // row + x/8 < rows.count: no overflow
          byte = 0
        }
      }
      if n & 7 != 0 { rows[row &+ n >> 3] = UInt8(truncatingIfNeeded: byte << (8 - UInt32(n & 7))) }
    }
  }
}
