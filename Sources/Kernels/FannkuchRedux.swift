// fannkuch-redux: branchy integer work on small arrays.

import CKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels

/// The Benchmarks Game's fannkuch-redux: for every permutation of 0..<n, count
/// the prefix reversals ("pancake flips") that bring 0 to the front; report the
/// alternating-sign sum of the counts (permutations numbered in the Benchmarks
/// Game's order, + for even numbers) and the largest count.
///
/// - Bottleneck: short, data-dependent loops over a 16-slot array: compares,
///   swaps and branches the predictor cannot learn, little arithmetic.
/// - Chunks: `min(n!, 512)` blocks of consecutive permutation numbers
///   (`chunkRange`). The Benchmarks Game's order is a factorial-base odometer,
///   so a chunk starts at permutation `lo` by writing `lo` in the factorial
///   number system (digit i = how often the prefix 0...i has been rotated), as
///   the fast Benchmarks Game programs do. The sign of a permutation comes from
///   its global number, so the partial sums add up in chunk order to exactly
///   the sequential answer.
/// - Result: `checksum 228 · max flips 16` at n = 7; the Benchmarks Game's
///   published outputs are 73196 / 38 at n = 10, 556355 / 51 at n = 11 and
///   3968050 / 65 at n = 12.
/// - What the idiomatic flavour pays for: a heap copy of the permutation for
///   every one that needs flipping (copy-on-write on the first `swapAt`),
///   `remove(at:)`/`insert(_:at:)` for rotations, bounds and overflow checks in
///   the innermost loops. (Flipping with `p[0...k].reverse()` instead costs an
///   allocation per flip and makes the kernel slower still; see
///   `Idiomatic.FannkuchRedux.flips`.) The unsafe and C flavours hold the
///   permutation in two 64-bit registers, a byte an element, so that a flip is
///   a byte swap, shifts and masks (no loop whose length is data) and a
///   rotation a few shifts; see `Perm16`.
struct FannkuchRedux: Kernel {
  let name = "fannkuch-redux"
  let bottleneck = "branchy integer, small arrays"
  let summary = "Benchmarks Game pancake flips over all n! permutations: signed flip checksum and max flips"
  let parameter = "n (permutations of n elements)"
  let sizes = KernelSizes(tiny: 7, quick: 9, full: 10)
  let notes = KernelNotes(
    debug: "Unoptimised Swift calls every array subscript, swapAt and range iterator as a real function, with its retain/release, for every element swapped. Flipping with p[0...k].reverse() is slower still: the generic slice machinery runs unspecialised.",
    idiomatic: "Each permutation that needs flipping is copied to a fresh heap array (copy-on-write on the first swapAt); rotations use remove(at:)/insert(_:at:); every swap is bounds-checked and every count overflow-checked. The tempting p[0...k].reverse() mutates a slice that shares the array's buffer, so it copies and writes back on every flip: an allocation and two copies per flip, even optimised.",
    unsafe: "The permutation is two UInt64 registers, a byte an element: a flip reverses the prefix with byte swaps, shifts and masks selected without a branch on its length, a rotation is a few shifts, so the textbook swap loop (whose length is data, its exit mispredicted on most flips) is gone and each flip is one short dependent step; `&+` and `&>>` where the invariant (n ≤ 15) is stated.",
    c: "The same two-word permutation and the same flips and rotations (__builtin_bswap64, shifts, a selection clang makes a conditional move).",
    parallel: "min(n!, 512) blocks of consecutive permutation numbers; a block starts mid-sequence by decoding its first number in the factorial number system, and each permutation's sign comes from its global number. Blocks cost about the same, so scaling is near-linear until the cores run out.",
    vector: Self.noVectors,
    native: "Little to gain: a flip is byte swaps, shifts, masks and conditional moves on general-purpose registers, all in baseline x86-64; -march=native adds only BMI2's three-operand shifts.")

  /// The Benchmarks Game's published (checksum, max flips).
  static let references: [Int: (checksum: Int, maxFlips: Int)] = [
    7: (228, 16), 10: (73196, 38), 11: (556_355, 51), 12: (3_968_050, 65),
  ]

  /// n ≤ 12 keeps a full run under a minute in C (n! grows 13× at the next step).
  func validate(size: Int) throws { try require(size, in: 3...12, "12! permutations is already ~1 minute in C") }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard let reference = Self.references[size] else { return .noReference }
    let text = Self.text(checksum: reference.checksum, maxFlips: reference.maxFlips)
    return result.text == text
      ? .matches("Benchmarks Game output for n = \(size): \(text)")
      : .mismatch("expected the Benchmarks Game's \(text)")
  }

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "the scalar flavours already flip a whole permutation held in two 64-bit registers with a byte swap, shifts and masks, a short dependent step with no loop; a vector flip would reverse a prefix whose length is data with a variable byte shuffle of a 16-byte register, which the baseline release build lacks (pshufb is SSSE3; SSE2 has none), which neither portable C vector extensions (clang has no variable __builtin_shuffle) nor Swift's SIMD types express as one instruction, and which would still be one dependent step per flip, so it cannot buy the gain that earns a vector flavour its rung"
  var vectorNotApplicable: String? { Self.noVectors }
  let ceiling = Ceiling.none("integer permutations and branches: no measured ceiling")

  /// n! permutations, every one of them visited (those with 0 in front need no flips).
  func work(size n: Int) -> Work { Work(Double(Self.factorial(n)), .elements, "permutations") }

  /// The number of chunks at n: depends on n only, never on the thread count.
  static func chunks(n: Int) -> Int { min(factorial(n), 512) }

  static func factorial(_ n: Int) -> Int { (1...max(n, 1)).reduce(1, *) }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let chunks = Self.chunks(n: n)
    switch flavour {
    case .vector, .cVector:
      preconditionFailure("\(name) has no \(flavour) flavour: \(notApplicable(flavour) ?? "")")
    case .idiomatic:
      let kernel = Idiomatic.FannkuchRedux(n: n, chunks: chunks)
      return Cell(
        run: kernel.run,
        result: { Self.result(checksum: kernel.checksum, maxFlips: kernel.maxFlips) })
    case .span:
      return Driver(n: n, chunks: chunks, chunk: Self.spanChunk).cell
    case .unsafe:
      return Driver(n: n, chunks: chunks, chunk: Unsafe.fannkuchReduxChunk).cell
    case .c:
      return Driver(n: n, chunks: chunks, chunk: { ck_fannkuch_redux_chunk($0, $1, $2, $3) }).cell
    }
  }

  static func text(checksum: Int, maxFlips: Int) -> String {
    "checksum \(checksum) · max flips \(maxFlips)"
  }

  static func result(checksum: Int, maxFlips: Int) -> KernelResult {
    var digest = FNV1a()
    digest.combine(checksum)
    digest.combine(maxFlips)
    return KernelResult(text: text(checksum: checksum, maxFlips: maxFlips), checksum: digest.value)
  }

  /// The driver the unsafe and C flavours share: one call per block of
  /// permutation numbers, partials combined in chunk order.
  private final class Driver {
    typealias Chunk = @Sendable (Int, Int, Int, UnsafeMutablePointer<Int>) -> Int
    let n: Int
    let chunks: Int
    let chunk: Chunk
    var checksum = 0
    var maxFlips = 0

    init(n: Int, chunks: Int, chunk: @escaping Chunk) {
      self.n = n
      self.chunks = chunks
      self.chunk = chunk
    }

    var cell: Cell {
      Cell(run: run, result: { FannkuchRedux.result(checksum: self.checksum, maxFlips: self.maxFlips) })
    }

    func run(on executor: any ParallelExecutor) {
      let (n, chunks, chunk) = (n, chunks, chunk)
      let total = FannkuchRedux.factorial(n)
      let partials = executor.map(chunks) { i in
        let range = chunkRange(i, of: chunks, total: total)
        var most = 0
        let sum = chunk(n, range.lowerBound, range.upperBound, &most)
        return (sum, most)
      }
      checksum = partials.reduce(0) { $0 + $1.0 }
      maxFlips = partials.map(\.1).max() ?? 0
    }
  }
}
