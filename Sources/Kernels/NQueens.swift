// nqueens: recursion and backtracking.

import CKernels
import IdiomaticKernels
import KernelKit
import SpanKernels
import UnsafeKernels

/// Counts the ways to place n queens on an n×n board so that no two attack
/// each other, by recursive backtracking: one queen per row, columns tried
/// left to right, a branch abandoned as soon as a square is attacked.
///
/// - Bottleneck: recursion (a call per node of the search tree) and
///   unpredictable branches; almost no memory traffic.
/// - Chunks: the legal placements of the first two rows, pairs (c0, c1) with
///   |c0 − c1| > 1, in lexicographic order: n² − 3n + 2 chunks (110 at n = 12),
///   a list that depends on n only. Each chunk counts its completions
///   recursively; the counts are added in chunk order. Openings near the edge
///   and the middle differ in cost, so chunks are handed out dynamically.
/// - Recursion parallelises: a popular Python concurrency article says "it is
///   impossible to parallelize a recursive algorithm" (Python Land, "Python
///   Concurrency: What It Is And Should You Use it?"). This kernel is recursive all the way down and runs in
///   parallel: the top of the tree (the first two rows) is split into
///   independent subtrees, and each subtree is searched by the same recursive
///   function on whichever thread picks it up.
/// - Same algorithm, two representations: the idiomatic flavour marks occupied
///   columns and diagonals in `[Bool]` arrays; the unsafe and C flavours keep
///   them as three bitmasks passed by value. Both do the same backtracking in
///   the same order and visit the same nodes; only the test "is this square
///   free?" differs (three array loads versus one and-not over all columns).
/// - Result: `solutions 92` at n = 8 (OEIS A000170 for the other n).
struct NQueens: Kernel {
  let name = "nqueens"
  let bottleneck = "recursion, backtracking"
  let summary = "count the placements of n non-attacking queens on an n×n board by recursive backtracking"
  let parameter = "n (an n×n board)"
  let sizes = KernelSizes(tiny: 8, quick: 12, full: 15)
  let notes = KernelNotes(
    debug: "Unoptimised Swift makes every isFree, place and remove a real call, with bounds-checked array accesses and retain/release of the Board's three arrays, at every node.",
    idiomatic: "The recursion itself is cheap; the representation is not: every square is tested on its own with three bounds-checked loads, and every place/remove does three bounds-checked stores after a uniqueness check on each array. The bitmask flavours test a whole row's free squares with a few register operations instead.",
    unsafe: "Columns and diagonals as three UInt32 bitmasks passed by value: all free squares of a row in one and-not, the next candidate is the lowest set bit. Same search order and node count as idiomatic; gives up readability, not safety (no pointers needed).",
    c: "The same bitmask recursion as unsafe Swift.",
    parallel: "Answers the claim in a popular Python concurrency article (Python Land) that \"it is impossible to parallelize a recursive algorithm\": the recursion is split at its top, one chunk per legal placement of the first two rows (n² − 3n + 2 of them, fixed by n), each searched recursively and counted; the counts are added in chunk order. Subtrees differ in size, so dynamic scheduling matters.",
    vector: Self.noVectors,
    native: "Not measured; expected to matter little: BMI instructions (blsr, tzcnt) can take the lowest set bit in one instruction instead of two or three, but the time goes to unpredictable branches and calls.")

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "a bit-mask backtracking search: branch-bound recursion, one and-not and lowest-set-bit a node, with nothing to put side by side in lanes"
  var vectorNotApplicable: String? { Self.noVectors }
  let ceiling = Ceiling.none("recursion and branches: no measured ceiling")

  /// The solutions found (OEIS A000170, known for every valid n). The nodes
  /// the search visits, several times more, would need the search itself to
  /// count, and `work(size:)` must be cheap.
  func work(size n: Int) -> Work {
    Work(Double(Self.references[n] ?? 1), .elements, "solutions found")
  }

  /// OEIS A000170: solutions for n = 4...17.
  static let references: [Int: Int] = [
    4: 2, 5: 10, 6: 4, 7: 40, 8: 92, 9: 352, 10: 724, 11: 2_680, 12: 14_200, 13: 73_712,
    14: 365_596, 15: 2_279_184, 16: 14_772_512, 17: 95_815_104,
  ]

  /// n ≥ 4 (smaller boards have no two-row openings worth splitting); n ≤ 17
  /// keeps a run within about a minute in C (each step of n costs several times the last).
  func validate(size: Int) throws { try require(size, in: 4...17, "18 would take minutes") }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard let reference = Self.references[size] else { return .noReference }
    return result.text == Self.text(solutions: reference)
      ? .matches("OEIS A000170: \(reference) solutions for n = \(size)")
      : .mismatch("expected \(reference) solutions (OEIS A000170)")
  }

  /// The chunks: legal (row 0 column, row 1 column) pairs in lexicographic order.
  static func openings(n: Int) -> [(Int, Int)] {
    (0..<n).flatMap { c0 in (0..<n).filter { c1 in abs(c0 - c1) > 1 }.map { (c0, $0) } }
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let openings = Self.openings(n: n)
    switch flavour {
    case .vector, .cVector:
      preconditionFailure("\(name) has no \(flavour) flavour: \(notApplicable(flavour) ?? "")")
    case .idiomatic:
      let kernel = Idiomatic.NQueens(n: n, openings: openings)
      return Cell(run: kernel.run, result: { Self.result(solutions: kernel.solutions) })
    case .span:
      return Driver(n: n, openings: openings, chunk: Spans.nqueensChunk).cell
    case .unsafe:
      return Driver(n: n, openings: openings, chunk: Unsafe.nqueensChunk).cell
    case .c:
      return Driver(n: n, openings: openings, chunk: { ck_nqueens_chunk($0, $1, $2) }).cell
    }
  }

  static func text(solutions: Int) -> String { "solutions \(solutions)" }

  static func result(solutions: Int) -> KernelResult {
    var digest = FNV1a()
    digest.combine(solutions)
    return KernelResult(text: text(solutions: solutions), checksum: digest.value)
  }

  /// The driver the unsafe and C flavours share: one call per opening.
  private final class Driver {
    typealias Chunk = @Sendable (Int, Int, Int) -> Int
    let n: Int
    let openings: [(Int, Int)]
    let chunk: Chunk
    var solutions = 0

    init(n: Int, openings: [(Int, Int)], chunk: @escaping Chunk) {
      self.n = n
      self.openings = openings
      self.chunk = chunk
    }

    var cell: Cell { Cell(run: run, result: { NQueens.result(solutions: self.solutions) }) }

    func run(on executor: any ParallelExecutor) {
      let (n, openings, chunk) = (n, openings, chunk)
      solutions = executor.map(openings.count) { i in chunk(n, openings[i].0, openings[i].1) }
        .reduce(0, +)
    }
  }
}
