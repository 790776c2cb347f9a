// mandelbrot, vector flavour. See Kernels/Mandelbrot.swift.

extension Vector {
  /// Rows `lo..<hi` of the n×n bitmap into `bitmap`; mirrors `cv_mandelbrot_rows`.
  ///
  /// Eight pixels of a row at a time, one per lane of `SIMD8<Double>`: exactly
  /// one output byte. The lanes run the scalar flavour's iteration, operation for
  /// operation (zi = 2·zr·zi + ci, zr = tr − ti + cr, tr = zr², ti = zi²; Swift
  /// never fuses a multiply and an add), but they cannot each stop when they
  /// escape: all eight run until the last one has escaped or 50 iterations are
  /// done, and the escape test runs once every `block` iterations instead of
  /// every iteration. Iterating past escape is harmless: |c| < 2, so once
  /// |z| > 2 it only grows, to infinity and then NaN, and `tr + ti <= 4` stays
  /// false for both. So a pixel's bit is the scalar flavour's, bit for bit.
  ///
  /// Why eight lanes: eight doubles are one AVX-512 register, two AVX2 or four
  /// SSE2/NEON registers. On AVX-512 the eight pixels are one dependency chain
  /// (about nine cycles of latency an iteration, zr → tr → zr); baseline SSE2
  /// gets four independent chains from the same source.
  ///
  /// Columns n..<8·⌈n/8⌉ of the last byte are computed like the others (they
  /// are ordinary points just right of the image) and masked to 0, as the
  /// scalar flavour pads them.
  public static func mandelbrotRows(
    _ n: Int, _ lo: Int, _ hi: Int, _ bitmap: UnsafeMutablePointer<UInt8>
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    let rowBytes = (n + 7) / 8
    let size = Double(n)
    let lane = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    // Lane k is bit 7 − k of the byte: the PBM's most significant bit first.
    let weight = SIMD8<Int64>(128, 64, 32, 16, 8, 4, 2, 1)
    let lastByteMask = n & 7 == 0 ? 0xFF : (0xFF << (8 - (n & 7))) & 0xFF
    for y in lo..<hi {
      let row = bitmap + y * rowBytes
      let ci = SIMD8<Double>(repeating: 2.0 * Double(y) / size - 1.0)
      for byte in 0..<rowBytes {
        let x = SIMD8<Double>(repeating: Double(byte * 8)) + lane
        let cr = 2.0 * x / size - 1.5
        var zr = SIMD8<Double>(), zi = SIMD8<Double>()
        var tr = SIMD8<Double>(), ti = SIMD8<Double>()
        for _ in 0..<mandelbrotBlocks {
          for _ in 0..<mandelbrotBlock {
            zi = 2.0 * zr * zi + ci
            zr = tr - ti + cr
            tr = zr * zr
            ti = zi * zi
          }
          if !any(tr + ti .<= 4.0) { break }
        }
        let inside = tr + ti .<= 4.0
        let bits = SIMD8<Int64>().replacing(with: weight, where: inside).wrappedSum()
        let mask = byte == rowBytes - 1 ? lastByteMask : 0xFF
        row[byte] = UInt8(truncatingIfNeeded: Int(bits) & mask)
      }
    }
  }

  /// Iterations between escape tests: 5, so that 10 blocks make exactly the
  /// scalar flavour's 50 iterations. A test (compare, combine the lanes,
  /// branch) costs about one iteration's worth of instructions; testing every 5
  /// wastes at most 4 iterations once the last lane has escaped.
  static let mandelbrotBlock = 5
  static let mandelbrotBlocks = 10
}
