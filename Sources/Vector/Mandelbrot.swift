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
  /// Several bytes in flight: one iteration is a dependency chain (zr → tr →
  /// zr: a multiply and two adds, about nine cycles), and a group of eight
  /// lanes is one AVX-512 register, so a lone group leaves the multipliers
  /// idle most of each iteration. `groups` bytes (4 with AVX-512, 2 with AVX,
  /// 1 with SSE2: `cv_mandelbrot_groups()`, so that both flavours run the same
  /// groups) step through each iteration together as independent chains; the
  /// escape test covers all of them, so a byte that escaped early iterates on
  /// with its neighbours, which changes none of its bits. What limits the
  /// count is registers: a group's state is five vectors (cr, zr, zi, tr, ti),
  /// one zmm each with AVX-512, two ymm with AVX, four xmm with SSE2, where a
  /// single group already fills the sixteen registers. A row's last bytes
  /// that do not fill a group go in pairs, then singly.
  ///
  /// Columns n..<8·⌈n/8⌉ of the last byte are computed like the others (they
  /// are ordinary points just right of the image) and masked to 0, as the
  /// scalar flavour pads them.
  public static func mandelbrotRows(
    _ n: Int, _ lo: Int, _ hi: Int, _ bitmap: UnsafeMutablePointer<UInt8>, groups: Int
  ) {
    assert(0 <= lo && lo <= hi && hi <= n, "rows out of range")
    precondition([1, 2, 4].contains(groups), "mandelbrot runs 1, 2 or 4 groups")
    let rowBytes = (n + 7) / 8
    let size = Double(n)
    let lastByteMask: UInt8 = n & 7 == 0 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - (n & 7)))
    for y in lo..<hi {
      let row = bitmap + y * rowBytes
      let ci = SIMD8<Double>(repeating: 2.0 * Double(y) / size - 1.0)
      var byte = 0
      if groups >= 4 {
        while byte + 4 <= rowBytes {
          mandelbrotBytes4(row, byte, ci, size)
          byte &+= 4  // byte + 4 <= rowBytes
        }
      }
      if groups >= 2 {
        while byte + 2 <= rowBytes {
          mandelbrotBytes2(row, byte, ci, size)
          byte &+= 2  // byte + 2 <= rowBytes
        }
      }
      while byte < rowBytes {
        var p = MandelbrotByte(byte, size)
        for _ in 0..<mandelbrotBlocks {
          for _ in 0..<mandelbrotBlock { p.iterate(ci) }
          if !any(p.bounded) { break }
        }
        row[byte] = p.bits
        byte &+= 1  // byte < rowBytes
      }
      row[rowBytes - 1] &= lastByteMask
    }
  }

  /// Bytes `first…first+3` of `row`, iterated together.
  @inline(__always)
  static func mandelbrotBytes4(_ row: UnsafeMutablePointer<UInt8>, _ first: Int, _ ci: SIMD8<Double>, _ size: Double) {
    var p0 = MandelbrotByte(first, size), p1 = MandelbrotByte(first &+ 1, size)
    var p2 = MandelbrotByte(first &+ 2, size), p3 = MandelbrotByte(first &+ 3, size)
    for _ in 0..<mandelbrotBlocks {
      for _ in 0..<mandelbrotBlock {
        p0.iterate(ci)
        p1.iterate(ci)
        p2.iterate(ci)
        p3.iterate(ci)
      }
      if !any(p0.bounded .| p1.bounded .| p2.bounded .| p3.bounded) { break }
    }
    row[first] = p0.bits
    row[first &+ 1] = p1.bits
    row[first &+ 2] = p2.bits
    row[first &+ 3] = p3.bits
  }

  /// Bytes `first` and `first+1` of `row`, iterated together.
  @inline(__always)
  static func mandelbrotBytes2(_ row: UnsafeMutablePointer<UInt8>, _ first: Int, _ ci: SIMD8<Double>, _ size: Double) {
    var p0 = MandelbrotByte(first, size), p1 = MandelbrotByte(first &+ 1, size)
    for _ in 0..<mandelbrotBlocks {
      for _ in 0..<mandelbrotBlock {
        p0.iterate(ci)
        p1.iterate(ci)
      }
      if !any(p0.bounded .| p1.bounded) { break }
    }
    row[first] = p0.bits
    row[first &+ 1] = p1.bits
  }

  /// Iterations between escape tests: 5, so that 10 blocks make exactly the
  /// scalar flavour's 50 iterations. A test (compare, combine the lanes,
  /// branch) costs about one iteration's worth of instructions; testing every 5
  /// wastes at most 4 iterations once the last lane has escaped.
  static let mandelbrotBlock = 5
  static let mandelbrotBlocks = 10
}

/// The escape-time state of eight pixels of a row: one output byte.
struct MandelbrotByte {
  let cr: SIMD8<Double>
  var zr = SIMD8<Double>(), zi = SIMD8<Double>()
  var tr = SIMD8<Double>(), ti = SIMD8<Double>()

  /// Columns 8·byte…8·byte+7 of an image of `size` columns.
  @inline(__always)
  init(_ byte: Int, _ size: Double) {
    let x = SIMD8<Double>(repeating: Double(byte &* 8)) + SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
    cr = 2.0 * x / size - 1.5
  }

  /// One iteration of z ← z² + c, in the scalar flavour's operations and order.
  @inline(__always)
  mutating func iterate(_ ci: SIMD8<Double>) {
    zi = 2.0 * zr * zi + ci
    zr = tr - ti + cr
    tr = zr * zr
    ti = zi * zi
  }

  /// The lanes still within |z| ≤ 2.
  @inline(__always)
  var bounded: SIMDMask<SIMD8<Int64>> { tr + ti .<= 4.0 }

  /// The byte: lane k is bit 7 − k, the PBM's most significant bit first.
  @inline(__always)
  var bits: UInt8 {
    let weight = SIMD8<Int64>(128, 64, 32, 16, 8, 4, 2, 1)
    return UInt8(truncatingIfNeeded: SIMD8<Int64>().replacing(with: weight, where: bounded).wrappedSum())
  }
}
