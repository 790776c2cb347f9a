// The span flavour's chunk functions, seen through the drivers that the
// unsafe and C flavours share.
//
// Each adapter has the unsafe flavour's signature (pointers into buffers the
// driver allocated and shares between threads) and hands the chunk spans
// instead: read-only inputs whole, the chunk's own output as a `MutableSpan`
// over exactly its part. Making those spans from pointers is the one unsafe
// step of the flavour, and it is the harness's, like the sharing itself; the
// chunk functions (Sources/Span) contain no unsafe construct. Each span is
// made once per chunk call from a pointer and a count: no allocation, no
// uniqueness check (unlike `Array.mutableSpan`), so it costs a few moves.

import KernelKit
import SpanKernels

// MARK: - mandelbrot

extension Mandelbrot {
  /// `Spans.mandelbrotRows` on rows `lo..<hi` of the bitmap at `out`.
  static let spanRows: @Sendable (Int, Int, Int, UnsafeMutablePointer<UInt8>) -> Void = { n, lo, hi, out in
    let rowBytes = (n + 7) / 8
    let buffer = UnsafeMutableBufferPointer(start: out + lo * rowBytes, count: (hi - lo) * rowBytes)
    var rows = buffer.mutableSpan
    Spans.mandelbrotRows(n, lo, hi, &rows)
  }
}

// MARK: - nbody

extension NBody {
  /// `Spans.nbodyAdvance`: all n positions and masses, the chunk's bodies'
  /// velocities and next positions on each axis.
  static let spanAdvance: Advance = { n, lo, hi, dt, pos, mass, vel, next in
    let position = UnsafeBufferPointer(start: pos, count: 3 * n), masses = UnsafeBufferPointer(start: mass, count: n)
    let count = hi - lo
    let (bvx, bvy, bvz) = (
      UnsafeMutableBufferPointer(start: vel + lo, count: count),
      UnsafeMutableBufferPointer(start: vel + n + lo, count: count),
      UnsafeMutableBufferPointer(start: vel + 2 * n + lo, count: count)
    )
    let (bnx, bny, bnz) = (
      UnsafeMutableBufferPointer(start: next + lo, count: count),
      UnsafeMutableBufferPointer(start: next + n + lo, count: count),
      UnsafeMutableBufferPointer(start: next + 2 * n + lo, count: count)
    )
    var vx = bvx.mutableSpan, vy = bvy.mutableSpan, vz = bvz.mutableSpan
    var nx = bnx.mutableSpan, ny = bny.mutableSpan, nz = bnz.mutableSpan
    Spans.nbodyAdvance(n, lo, hi, dt, position.span, masses.span, &vx, &vy, &vz, &nx, &ny, &nz)
  }

  /// `Spans.nbodyEnergy` over the whole state.
  static let spanEnergy: Energy = { n, pos, vel, mass in
    let position = UnsafeBufferPointer(start: pos, count: 3 * n)
    let velocity = UnsafeBufferPointer(start: vel, count: 3 * n)
    let masses = UnsafeBufferPointer(start: mass, count: n)
    return Spans.nbodyEnergy(n, position.span, velocity.span, masses.span)
  }
}

// MARK: - spectral-norm

extension SpectralNorm {
  /// `times` or `transposedTimes` of the span flavour on rows `lo..<hi`.
  static func spanProduct(
    _ body: @escaping @Sendable (Int, Int, Int, Span<Double>, inout MutableSpan<Double>) -> Void
  ) -> Product {
    { n, lo, hi, u, out in
      let input = UnsafeBufferPointer(start: u, count: n)
      let rows = UnsafeMutableBufferPointer(start: out + lo, count: hi - lo)
      var output = rows.mutableSpan
      body(n, lo, hi, input.span, &output)
    }
  }

  static let spanDot: Dot = { n, a, b in
    let (x, y) = (UnsafeBufferPointer(start: a, count: n), UnsafeBufferPointer(start: b, count: n))
    return Spans.spectralNormDot(n, x.span, y.span)
  }
}

// MARK: - fannkuch-redux

extension FannkuchRedux {
  static let spanChunk: @Sendable (Int, Int, Int, UnsafeMutablePointer<Int>) -> Int = { n, lo, hi, maxFlips in
    var most = 0
    let checksum = Spans.fannkuchReduxChunk(n, lo, hi, &most)
    maxFlips.pointee = most
    return checksum
  }
}

// MARK: - matmul

extension MatMul {
  /// `Spans.matmulRows`: all of A and B, rows `lo..<hi` of C.
  static let spanRows: Rows = { n, lo, hi, a, b, c in
    let (x, y) = (UnsafeBufferPointer(start: a, count: n * n), UnsafeBufferPointer(start: b, count: n * n))
    let rows = UnsafeMutableBufferPointer(start: c + lo * n, count: (hi - lo) * n)
    var out = rows.mutableSpan
    Spans.matmulRows(n, lo, hi, x.span, y.span, &out)
  }
}

// MARK: - triad

extension Triad {
  /// `Spans.triad`: elements `lo..<hi` of `a`, the first `hi` of `b` and `c`.
  static let spanTriad:
    @Sendable (UnsafeMutablePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, Double, Int, Int) -> Void = {
      a, b, c, s, lo, hi in
      let chunk = UnsafeMutableBufferPointer(start: a + lo, count: hi - lo)
      let (x, y) = (UnsafeBufferPointer(start: b, count: hi), UnsafeBufferPointer(start: c, count: hi))
      var out = chunk.mutableSpan
      Spans.triad(&out, x.span, y.span, s, lo, hi)
    }
}

// MARK: - sieve

extension Sieve {
  /// `Spans.sieveBasePrimes` into scratch of (limit + 1) / 2 + 1 entries (the driver's size).
  static let spanBasePrimes: @Sendable (Int, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>) -> Int = {
    limit, composite, primes in
    let scratch = UnsafeMutableBufferPointer(start: composite, count: (limit + 1) / 2 + 1)
    let found = UnsafeMutableBufferPointer(start: primes, count: (limit + 1) / 2 + 1)
    var c = scratch.mutableSpan, p = found.mutableSpan
    return Spans.sieveBasePrimes(limit, &c, &p)
  }

  static let spanSegment: @Sendable (Int, Int, UnsafePointer<Int>, Int) -> Int = { n, segment, primes, count in
    Spans.sieveSegment(n, segment, UnsafeBufferPointer(start: primes, count: count).span)
  }
}

// MARK: - k-nucleotide

extension KNucleotide {
  /// `Spans.kNucleotideCount`: the letters the chunk reads (up to hi + k − 1) and its table.
  static let spanCount: @Sendable (UnsafePointer<UInt8>, Int, Int, Int, UnsafeMutablePointer<UInt64>, Int) -> Int = {
    sequence, k, lo, hi, table, log2Capacity in
    let letters = UnsafeBufferPointer(start: sequence, count: hi + k - 1)
    let words = UnsafeMutableBufferPointer(start: table, count: 2 << log2Capacity)
    var slots = words.mutableSpan
    return Spans.kNucleotideCount(letters.span, k, lo, hi, &slots, log2Capacity)
  }

  static let spanMerge: @Sendable (UnsafeMutablePointer<UInt64>, Int, UnsafePointer<UInt64>, Int) -> Int = {
    destination, destinationLog2, source, sourceLog2 in
    let into = UnsafeMutableBufferPointer(start: destination, count: 2 << destinationLog2)
    let from = UnsafeBufferPointer(start: source, count: 2 << sourceLog2)
    var slots = into.mutableSpan
    return Spans.kNucleotideMerge(&slots, destinationLog2, from.span, sourceLog2)
  }
}
