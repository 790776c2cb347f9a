// mandelbrot, unsafe flavour. See Kernels/Mandelbrot.swift.

extension Unsafe {
  /// Rows `lo..<hi` of the n×n bitmap into `bitmap`; mirrors `ck_mandelbrot_rows`.
  ///
  /// The loop is the Benchmarks Game's: `tr`/`ti` keep the squares so each
  /// iteration costs three multiplies; the escape test doubles as the loop
  /// condition. Bytes are stored straight into the caller's buffer.
  public static func mandelbrotRows(
    _ n: Int, _ lo: Int, _ hi: Int, _ bitmap: UnsafeMutablePointer<UInt8>
  ) {
    let rowBytes = (n + 7) / 8
    for y in lo..<hi {
      let row = bitmap + y * rowBytes
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
          row[x >> 3] = UInt8(truncatingIfNeeded: byte)
          byte = 0
        }
      }
      if n & 7 != 0 { row[n >> 3] = UInt8(truncatingIfNeeded: byte << (8 - UInt32(n & 7))) }
    }
  }
}
