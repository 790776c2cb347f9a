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

// MARK: - The checks each kernel's span flavour keeps

// Mechanisms only: `benchmark explain KERNEL` counts the checks left in the
// compiled code (bench/span-checks.sh) and measures what they cost.

extension Mandelbrot {
  var spanNotes: String {
    "One checked store per output byte, every eight pixels of up to 50 iterations each, into the chunk's own rows; the index (row offset + x/8) is not one the optimiser relates to the span's count. Negligible beside the escape-time loop, so no rewrite is worth it."
  }
}

extension NBody {
  var spanNotes: String {
    "None in the pair loop: positions and masses are spans of exactly n (positions split once a call with `extracting`) and j runs over 0..<n, so every index is proved in range. The chunk's own velocities and next positions, six spans of its bodies, keep a check per body, outside the pair loop."
  }
}

extension SpectralNorm {
  var spanNotes: String {
    "None in the inner loop: u's count is checked against n once on entry and j runs over 0..<n. One checked store per row of the output, outside the inner loop."
  }
}

extension FannkuchRedux {
  var spanNotes: String {
    "The permutation is the unsafe flavour's Perm16, two words flipped and rotated with shifts and masks, so the flips index no memory and keep no check. What stays checked is the odometer: its digits are an InlineArray<16, Int> (the unsafe flavour's unchecked stack buffer), indexed by the prefix length i, which the optimiser does not relate to 16; one to a few checks per permutation, outside the flip loop."
  }
}

extension MatMul {
  var spanNotes: String {
    "None in the inner loop once every span in it has the loop's count: rows of A and B are taken with `extracting` (one range check a row) and C's row with `_mutatingExtracting` (Swift 6.3's name for MutableSpan's `extracting`). Addressing C's row by offset into the chunk's span instead keeps a check on each store; LLVM then still vectorises the loop but runs its last iterations, up to a vector's width times the unroll, one element at a time with the check, where the unsafe loop has a shorter vector epilogue."
  }
}

extension Triad {
  var spanNotes: String {
    "None: b and c are narrowed to the chunk's range with `extracting`, so the three spans have the loop's count and the loop vectorises as the unsafe one does."
  }
}

extension Sieve {
  var spanNotes: String {
    "The base sieve's stores into the composite bytes stay checked (j < odds, not related to the span's count); it runs once a run over √N/2 bytes. Crossing off in a segment indexes the InlineArray<1024, UInt64> of bits with j >> 6, j < size ≤ 65,536: the optimiser did not carry that bound through the shift, so the index is masked with & 1023, which changes nothing and drops the check. The counting loop's word index is bounded by its loop and unchecked."
  }
}

extension BinaryTrees {
  var spanNotes: String {
    "A checked store for every node built and a checked load for every node counted: node indices come from the bump counter and from the tree itself, data the optimiser cannot bound by the arena's count. A node's two child indices are one SIMD2<Int32> (the unsafe flavour's layout, 8 bytes a node), so each node costs one check, not two. The arena is an Array zero-filled when a chunk makes it, where the unsafe flavour's is left uninitialised."
  }
}

extension KNucleotide {
  var spanNotes: String {
    "Each probe's key load, and the count update or claim, is checked: the slot comes from the key's hash, and the optimiser cannot prove 2·slot + 1 below the table's count because it does not know that the count is 2 << log2Capacity (checked once on entry) or relate it to the slot mask. The letter load is checked too (p + k − 1 against the letters' count). No safe rewrite removes the hash-slot checks short of a table type whose capacity is a power of two the compiler can see."
  }
}

extension NQueens {
  var spanNotes: String {
    "None: the unsafe flavour indexes no memory (its bitmasks are values in registers), so the span flavour is the same code and this step measures noise."
  }
}
