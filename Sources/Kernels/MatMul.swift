// matmul: dense matrix multiply, where memory layout meets compute.

import CKernels
import CVectorKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels
import VectorKernels

/// C = A·B for n×n matrices of doubles, in i-k-j loop order in every flavour.
///
/// - Input: A then B, row-major, from `SplitMix64(seed: 0x6d61746d756c)`
///   ("matmul"): every entry is an integer in −8...8 (`next(below: 17) − 8`) as
///   a `Double`. Every product and every partial sum is then an integer below
///   64 n ≤ 2¹⁹ in magnitude, exactly representable, so the result is exact
///   whatever the order of the additions, vectorisation or fused multiply-adds:
///   the flavours agree exactly and the result is an integer checksum.
/// - Bottleneck: multiply-adds fed from memory. i-k-j streams a row of B
///   against a row of C for each a[i][k] (vectorisable, no reduction); B is
///   read once per row of C, so once n² doubles outgrow the cache the loop
///   waits on memory. The idiomatic flavour also pays for nested arrays: two
///   bounds-checked subscripts and an array header per element.
/// - Chunks: blocks of rows of C, min(8, n) of them, one parallel phase; the
///   vector flavours run two phases for each panel of k (pack the panel of B,
///   then add its part to C), see `Buffers.run`.
/// - Vector flavours: a register-blocked micro-kernel over packed panels, see
///   `Vector.matmulRows`, with fused multiply-adds where the target has them.
///   Exactness claim: every entry of A and B is an integer in −8...8, so every
///   product (≤ 64) and every partial sum (≤ 64 n ≤ 2¹⁸ for n ≤ 4,096) is an
///   integer far below 2⁵³: a double holds each exactly, so neither the order
///   of the additions nor fusing a multiply into an add can change a bit, and
///   all five flavours compute the same C (tolerance 0). `MatMulTests` checks
///   it against a naive product. (On other inputs the vector flavours would
///   round differently from the scalar ones.)
/// - Result: the sum of C's entries, and FNV-1a over C's entries (as Int64, row
///   by row) as the checksum.
struct MatMul: Kernel {
  let name = "matmul"
  let bottleneck = "cache + compute; nested arrays"
  let summary = "Dense C = A·B, n×n doubles with small-integer entries (exact), i-k-j loops"
  let parameter = "n (n×n matrices)"
  let sizes = KernelSizes(tiny: 40, quick: 320, full: 1_500)
  let notes = KernelNotes(
    debug: "Unoptimised, every row[j] += a[i][k] * b[k][j] is a chain of calls: nested subscripts with their bounds checks and retains, and a modify accessor on the row, for each multiply-add that release C does in a fraction of one vector instruction.",
    idiomatic: "Nested arrays: each a[i][k] and b[k][j] loads an inner array and checks two bounds, unless the optimiser hoists them; in i-k-j order it does, and vectorises, so release idiomatic ran within about 15% of C in our first measurements.",
    unsafe: "One flat row-major buffer per matrix and raw pointers: the inner loop is two contiguous streams and a scalar, which LLVM vectorises after a runtime overlap check.",
    c: "The same loop; `restrict` tells clang the matrices do not overlap, so it needs no runtime check.",
    parallel: "Rows of C are independent and equally costly; every chunk reads all of B, so large n is bound by shared memory bandwidth rather than cores. The vector flavours go panel by panel of k, each panel in two phases: the chunks pack the panel of B together, each its share of the rows, then each adds the panel's part to its own rows of C, reading the packed panel while it is still in the shared cache.",
    vector: "A register-blocked micro-kernel in the manner of GotoBLAS/BLIS: for each panel of k and strip of 8 columns, a block of m_r rows keeps C[i…i+m_r−1][j…j+7] in m_r SIMD8<Double> accumulators while k runs, so each k costs one load of B shared by all the rows, a broadcast of a[i][k] per row and m_r independent multiply-adds (independent chains, so their latency overlaps). B is packed once per run, a panel at a time by all chunks together, so each strip is contiguous instead of rows 8n bytes apart (a page each) and no chunk copies B again; A's rows are packed k-major, so a block's broadcasts are one stream. A chunk's blocks go a group of four strips at a time, each block meeting the group's strips in turn: its packed A is reused from L1 and its tiles of C follow one another along its rows, streams the hardware prefetcher follows. Long panels mean few passes over C. The last n % 8 columns are a row at a time from vectors of B's last 8 columns. m_r is what the registers hold beside B and a broadcast: 8 zmm accumulators with AVX-512, 4 rows of two ymm with AVX, 2 rows of four xmm with the baseline's SSE2 (4 rows would fill all 16 xmm registers with accumulators and spill). Multiply-adds are fused where the target has FMA: the inputs are small integers, so every product and partial sum is exact and fusing changes no bit.",
    native: "With AVX-512 each accumulator is one zmm register and the multiply-add one vfmadd231pd with a[i][k] broadcast from memory ({1to8}), eight to a k; Swift (addingProduct) and C (a*b + c under FP_CONTRACT ON) compile to the same loop. The baseline build has no FMA, so it keeps a multiply and an add (a fused multiply-add there would be a call to fma per lane), and 16-byte registers: 2 rows a block. On Zen 4 a separate multiply and add issue on different pipes, so FMA buys instructions, not peak; on CPUs whose adders are the FMA units it doubles the peak.")

  static let seed: UInt64 = 0x6d61_746d_756c  // "matmul"

  let vectorNotApplicable: String? = nil
  let ceiling = Ceiling.multiplyAdd

  /// 2n³: one multiply and one add for every (i, k, j), in every flavour.
  func work(size n: Int) -> Work {
    Work(2 * Double(n) * Double(n) * Double(n), .flops, "2n³: a multiply and an add per (i, k, j)")
  }

  func validate(size: Int) throws { try require(size, in: 1...4_096, "three n×n matrices of doubles") }

  func verify(_ result: KernelResult, size: Int) -> Verification { .noReference }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let (a, b) = Self.input(n: n)
    let chunks = Self.chunks(n: n)
    switch flavour {
    case .idiomatic:
      let kernel = Idiomatic.MatMul(n: n, a: a, b: b, chunks: chunks)
      return Cell(run: kernel.run, result: { Self.result(kernel.c.joined()) })
    case .span:
      return Buffers(n: n, a: a, b: b, chunks: chunks, rows: Self.spanRows).cell
    case .unsafe:
      return Buffers(n: n, a: a, b: b, chunks: chunks, rows: Unsafe.matmulRows).cell
    case .c:
      return Buffers(n: n, a: a, b: b, chunks: chunks, rows: { ck_matmul_rows($0, $1, $2, $3, $4, $5) }).cell
    case .vector:
      let (blockRows, fused) = (Int(cv_matmul_block_rows()), cv_matmul_fuses() != 0)
      return Buffers(
        n: n, a: a, b: b, chunks: chunks,
        packing: Packing(
          panelK: Vector.matmulPanelK, count: Vector.matmulPackedCount(n), packB: Vector.matmulPackB,
          rows: { Vector.matmulRows($0, $1, $2, $3, $4, $5, $6, $7, blockRows: blockRows, fused: fused) })
      ).cell
    case .cVector:
      return Buffers(
        n: n, a: a, b: b, chunks: chunks,
        packing: Packing(
          panelK: Int(cv_matmul_panel_k()), count: cv_matmul_packed_count(n),
          packB: { cv_matmul_pack_b($0, $1, $2, $3, $4, $5) },
          rows: { cv_matmul_rows($0, $1, $2, $3, $4, $5, $6, $7) })
      ).cell
    }
  }

  /// 8 chunks of rows (fewer for n < 8): a chunk's last rows that do not
  /// fill a block of the micro-kernel are a smaller share of taller chunks,
  /// and 8 still leaves two threads evenly loaded. The answer is exact, so the
  /// decomposition cannot change it.
  static func chunks(n: Int) -> Int { min(8, n) }

  /// A and B, n×n, row-major.
  static func input(n: Int) -> (a: [Double], b: [Double]) {
    var random = SplitMix64(seed: seed)
    let entries = (0..<(2 * n * n)).map { _ in Double(Int(random.next(below: 17)) - 8) }
    return (Array(entries[..<(n * n)]), Array(entries[(n * n)...]))
  }

  /// C's entries row by row: their sum, and FNV-1a of their Int64 values.
  static func result<S: Sequence<Double>>(_ entries: S) -> KernelResult {
    var hash = FNV1a()
    var sum = 0
    for entry in entries {
      guard let exact = Int(exactly: entry) else {
        return KernelResult(text: "non-integer entry \(entry)", checksum: 0)
      }
      hash.combine(exact)
      sum += exact
    }
    return KernelResult(text: "sum \(sum) · fnv1a \(hash.value.hex16)", checksum: hash.value)
  }

  // MARK: - Driver for the unsafe, C and vector flavours

  typealias Rows = @Sendable (
    Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>
  ) -> Void

  /// The vector flavours' phases: the product runs panel by panel of
  /// `panelK` k (k0 = 0, panelK, …), and each panel in two parallel phases.
  /// `packB(n, k0, lo, hi, b, packed)` copies rows lo..<hi of the panel's B
  /// into `count` doubles laid out for the micro-kernel (`Vector.matmulPackB`,
  /// `cv_matmul_pack_b`), then `rows(n, k0, lo, hi, a, b, packed, c)` adds the
  /// panel's part of rows lo..<hi of C.
  struct Packing {
    typealias PackB = @Sendable (Int, Int, Int, Int, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    typealias PackedRows = @Sendable (
      Int, Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>,
      UnsafeMutablePointer<Double>
    ) -> Void
    let panelK: Int
    let count: Int
    let packB: PackB
    let rows: PackedRows
  }

  /// Three flat row-major n×n buffers, and B's packed copy for the vector flavours.
  private final class Buffers {
    let n: Int
    let chunks: Int
    let rows: Rows?
    let packing: Packing?
    let a: UnsafeMutableBufferPointer<Double>
    let b: UnsafeMutableBufferPointer<Double>
    let c: UnsafeMutableBufferPointer<Double>
    let packedB: UnsafeMutableBufferPointer<Double>

    private init(n: Int, a: [Double], b: [Double], chunks: Int, rows: Rows?, packing: Packing?) {
      self.n = n
      self.chunks = chunks
      self.rows = rows
      self.packing = packing
      self.a = .allocate(capacity: n * n)
      _ = self.a.initialize(from: a)
      self.b = .allocate(capacity: n * n)
      _ = self.b.initialize(from: b)
      c = .allocate(capacity: n * n)
      c.initialize(repeating: 0)
      // Allocated and touched once here, not in the timed runs; each run
      // packs B into it afresh.
      packedB = .allocate(capacity: max(1, packing?.count ?? 0))
      packedB.initialize(repeating: 0)
    }

    convenience init(n: Int, a: [Double], b: [Double], chunks: Int, rows: @escaping Rows) {
      self.init(n: n, a: a, b: b, chunks: chunks, rows: rows, packing: nil)
    }

    convenience init(n: Int, a: [Double], b: [Double], chunks: Int, packing: Packing) {
      self.init(n: n, a: a, b: b, chunks: chunks, rows: nil, packing: packing)
    }

    deinit {
      for buffer in [a, b, c, packedB] { buffer.deallocate() }
    }

    var cell: Cell {
      Cell(run: run, result: { MatMul.result(self.c) })
    }

    func run(on executor: any ParallelExecutor) {
      let (n, chunks) = (n, chunks)
      // Chunks read all of A and B and write only their own rows of C (each
      // chunk zeroes its rows first, so every run starts afresh).
      nonisolated(unsafe) let a = UnsafePointer(self.a.baseAddress!)
      nonisolated(unsafe) let b = UnsafePointer(self.b.baseAddress!)
      nonisolated(unsafe) let c = self.c.baseAddress!
      guard let packing else {
        let rows = rows!
        executor.forEach(chunks) { chunk in
          let block = chunkRange(chunk, of: chunks, total: n)
          rows(n, block.lowerBound, block.upperBound, a, b, c)
        }
        return
      }
      // Two phases a panel of k. First each chunk packs its share of the
      // panel's rows of B (disjoint parts of the packed copy); then, once the
      // whole panel is packed (and still in the shared cache), each chunk
      // reads all of it and adds to its own rows of C. The first panel writes
      // C, so every run starts afresh. Packing is a copy and every chunk adds
      // the panels in the same order, so neither the thread count nor the
      // chunking can change the answer.
      nonisolated(unsafe) let packed = packedB.baseAddress!
      nonisolated(unsafe) let source = UnsafePointer(packed)
      let (packB, packedRows) = (packing.packB, packing.rows)
      for k0 in stride(from: 0, to: n, by: packing.panelK) {
        let kc = min(packing.panelK, n - k0)
        executor.forEach(chunks) { chunk in
          let rows = chunkRange(chunk, of: chunks, total: kc)
          packB(n, k0, k0 + rows.lowerBound, k0 + rows.upperBound, b, packed)
        }
        executor.forEach(chunks) { chunk in
          let block = chunkRange(chunk, of: chunks, total: n)
          packedRows(n, k0, block.lowerBound, block.upperBound, a, b, source, c)
        }
      }
    }
  }
}
