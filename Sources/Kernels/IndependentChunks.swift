// The kernels that can run in worker processes: their chunks are independent
// and their partial results small. Each conformance drives the same chunk
// functions as the kernel's `makeWorkload`, chunk by chunk, so a process
// backend computes exactly what the threads compute.
//
// Not here: nbody and spectral-norm (a barrier per step: every chunk needs
// every other chunk's output of the step before), matmul and triad (their
// output is the whole matrix or array: shipping it back costs more than the
// work), k-nucleotide (a second, merging phase; not adapted).

import CKernels
import IdiomaticKernels
import KernelKit
import SpanKernels
import UnsafeKernels

// MARK: - mandelbrot

extension Mandelbrot: IndependentChunks {
  /// A chunk is one row; its partial is the row's packed bytes.
  func makeChunks(_ flavour: Flavour, size n: Int) -> (any ChunkWork)? {
    let rowBytes = (n + 7) / 8
    let row: (Int) -> [UInt8]
    switch flavour {
    case .vector, .cVector:  // chunk drivers exist for the scalar flavours only
      return nil
    case .idiomatic:
      row = { y in Idiomatic.Mandelbrot.row(y, n: n) }
    case .span, .unsafe, .c:
      var rows: (Int, Int, Int, UnsafeMutablePointer<UInt8>) -> Void = Unsafe.mandelbrotRows
      if flavour == .c { rows = { ck_mandelbrot_rows($0, $1, $2, $3) } }
      if flavour == .span { rows = Self.spanRows }
      // The chunk functions write row y at offset y × rowBytes of a whole
      // bitmap, so each process keeps one and sends back the row's bytes.
      var bitmap = [UInt8](repeating: 0, count: n * rowBytes)
      row = { y in
        bitmap.withUnsafeMutableBufferPointer { rows(n, y, y + 1, $0.baseAddress!) }
        return Array(bitmap[y * rowBytes..<(y + 1) * rowBytes])
      }
    }
    return Chunks(count: n, partial: row) { rows in Self.result(n: n, bitmap: rows.flatMap { $0 }) }
  }
}

// MARK: - fannkuch-redux

extension FannkuchRedux: IndependentChunks {
  /// A chunk is a block of permutation numbers; its partial is (signed sum, max flips).
  func makeChunks(_ flavour: Flavour, size n: Int) -> (any ChunkWork)? {
    guard !flavour.isVector else { return nil }  // chunk drivers exist for the scalar flavours only
    let chunks = Self.chunks(n: n)
    let total = Self.factorial(n)
    return Chunks(count: chunks) { i in
      let range = chunkRange(i, of: chunks, total: total)
      switch flavour {
      case .vector, .cVector:
        preconditionFailure("no chunk driver for \(flavour)")  // guarded above
      case .idiomatic:
        let (sum, most) = Idiomatic.FannkuchRedux.chunk(n: n, indices: range)
        return partialBytes(sum, most)
      case .span:
        var most = 0
        let sum = Spans.fannkuchReduxChunk(n, range.lowerBound, range.upperBound, &most)
        return partialBytes(sum, most)
      case .unsafe, .c:
        var most = 0
        let sum =
          flavour == .c
          ? ck_fannkuch_redux_chunk(n, range.lowerBound, range.upperBound, &most)
          : Unsafe.fannkuchReduxChunk(n, range.lowerBound, range.upperBound, &most)
        return partialBytes(sum, most)
      }
    } combine: { partials in
      let pairs = partials.map(partialInts)
      return Self.result(checksum: pairs.reduce(0) { $0 + $1[0] }, maxFlips: pairs.map { $0[1] }.max() ?? 0)
    }
  }
}

// MARK: - nqueens

extension NQueens: IndependentChunks {
  /// A chunk is one two-row opening; its partial is its solution count.
  func makeChunks(_ flavour: Flavour, size n: Int) -> (any ChunkWork)? {
    guard !flavour.isVector else { return nil }  // chunk drivers exist for the scalar flavours only
    let openings = Self.openings(n: n)
    return Chunks(count: openings.count) { i in
      let (c0, c1) = openings[i]
      switch flavour {
      case .vector, .cVector:
        preconditionFailure("no chunk driver for \(flavour)")  // guarded above
      case .idiomatic: return partialBytes(Idiomatic.NQueens.completions(n: n, opening: (c0, c1)))
      case .span: return partialBytes(Spans.nqueensChunk(n, c0, c1))
      case .unsafe: return partialBytes(Unsafe.nqueensChunk(n, c0, c1))
      case .c: return partialBytes(ck_nqueens_chunk(n, c0, c1))
      }
    } combine: { partials in
      Self.result(solutions: partials.map { partialInts($0)[0] }.reduce(0, +))
    }
  }
}

// MARK: - sieve

extension Sieve: IndependentChunks {
  /// A chunk is one segment; its partial is its prime count. Each process
  /// finds the base primes (up to √N) itself while it prepares.
  func makeChunks(_ flavour: Flavour, size n: Int) -> (any ChunkWork)? {
    let segments = ((n + 1) / 2 + Self.segmentOdds - 1) / Self.segmentOdds
    let limit = Self.integerSquareRoot(n)
    let count: (Int) -> Int
    switch flavour {
    case .vector, .cVector:  // chunk drivers exist for the scalar flavours only
      return nil
    case .idiomatic:
      let primes = Idiomatic.Sieve.basePrimes(upTo: limit)
      count = { s in
        Idiomatic.Sieve.countPrimes(inSegment: s, n: n, segmentOdds: Self.segmentOdds, primes: primes)
      }
    case .span:
      var composite = [UInt8](repeating: 0, count: (limit + 1) / 2 + 1)
      var primes = [Int](repeating: 0, count: (limit + 1) / 2 + 1)
      var scratch = composite.mutableSpan, found = primes.mutableSpan
      let primeCount = Spans.sieveBasePrimes(limit, &scratch, &found)
      let basePrimes = primes.prefix(primeCount)
      count = { s in Spans.sieveSegment(n, s, basePrimes.span) }
    case .unsafe, .c:
      var composite = [UInt8](repeating: 0, count: (limit + 1) / 2 + 1)
      var primes = [Int](repeating: 0, count: (limit + 1) / 2 + 1)
      let found = composite.withUnsafeMutableBufferPointer { composite in
        primes.withUnsafeMutableBufferPointer { primes in
          flavour == .c
            ? ck_sieve_base_primes(limit, composite.baseAddress!, primes.baseAddress!)
            : Unsafe.sieveBasePrimes(limit, composite.baseAddress!, primes.baseAddress!)
        }
      }
      let basePrimes = primes  // never empty, so its base address exists
      count = { s in
        basePrimes.withUnsafeBufferPointer { p in
          flavour == .c
            ? ck_sieve_segment(n, s, p.baseAddress!, found) : Unsafe.sieveSegment(n, s, p.baseAddress!, found)
        }
      }
    }
    return Chunks(count: segments) { partialBytes(count($0)) } combine: { partials in
      Self.result(primes: 1 + partials.map { partialInts($0)[0] }.reduce(0, +))
    }
  }
}

// MARK: - binary-trees

extension BinaryTrees: IndependentChunks {
  /// A chunk is a batch of trees of one depth; its partial is their check.
  /// Each process allocates and frees its own trees: nothing is shared.
  func makeChunks(_ flavour: Flavour, size maxDepth: Int) -> (any ChunkWork)? {
    let check = Self.check(flavour)
    return Chunks(count: Self.chunkCount(maxDepth: maxDepth)) { i in
      let (depth, trees) = Self.chunk(i, maxDepth: maxDepth)
      return partialBytes(check(depth, trees))
    } combine: { partials in
      Self.result(maxDepth: maxDepth, checks: partials.map { partialInts($0)[0] })
    }
  }
}

// MARK: - The kernels that cannot run in processes, and why

extension NBody {
  var processesNotApplicable: String { "needs shared memory between steps" }
}

extension SpectralNorm {
  var processesNotApplicable: String { "needs shared memory between steps" }
}

extension MatMul {
  var processesNotApplicable: String { "its output is a whole array, which processes would have to copy back" }
}

extension Triad {
  var processesNotApplicable: String { "its output is a whole array, which processes would have to copy back" }
}

extension KNucleotide {
  var processesNotApplicable: String {
    "not adapted to worker processes (its merge phase; see Kernels/IndependentChunks.swift)"
  }
}
