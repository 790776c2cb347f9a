// binary-trees: allocation, ARC and recursion.

import CKernels
import IdiomaticKernels
import KernelKit
import SpanKernels
import UnsafeKernels

/// The Benchmarks Game's binary-trees: build perfect binary trees bottom-up,
/// walk each to count its nodes, throw it away.
///
/// With maximum depth `max`: one stretch tree of depth `max + 1`; one
/// long-lived tree of depth `max`; and for `d = 4, 6, …, max`, 2^(max − d + 4)
/// trees of depth `d`. A tree's check is its node count, 2^(d+1) − 1.
///
/// - Bottleneck: allocating and freeing millions of tiny nodes (the idiomatic
///   flavour: `malloc`, `free`, and an atomic retain/release per node), and a
///   recursion per node that no compiler can turn into a loop. Changing one
///   thing at a time (C with an arena, the same C with `malloc`/`free` per
///   node, idiomatic Swift class nodes) separates the allocator's cost from
///   ARC's and the object header's; docs/FINDINGS.md has the figures.
/// - Chunks: chunk 0 is the stretch tree, chunk 1 the long-lived tree, then the
///   trees of each depth split into 16 equal runs (for `d = max`, one tree
///   each). Every run of a depth holds the same number of nodes, 2^(max+1), so
///   the chunks are of equal cost except the two first (2× and 1×). The
///   Benchmarks Game keeps the long-lived tree alive while the others are built,
///   to make tracing collectors scan a large live heap; ARC and arenas have no
///   collector, so here it is built and checked as a chunk of its own, and no
///   flavour gains or loses by that.
/// - Result: the Benchmarks Game's output lines; the checksum is their FNV-1a.
///   At depth 10 they are the lines the Benchmarks Game publishes for its test
///   input, and for any depth the counts follow in closed form, which `verify`
///   checks.
struct BinaryTrees: Kernel {
  let name = "binary-trees"
  let bottleneck = "allocation / ARC / recursion"
  let summary = "Benchmarks Game binary-trees: build and count perfect trees of depths 4…max, a stretch and a long-lived tree"
  let parameter = "max depth"
  let sizes = KernelSizes(tiny: 10, quick: 16, full: 19)
  let notes = KernelNotes(
    debug: "Unoptimised Swift adds a call for every initialiser, optional unwrap and property read, and keeps retains and releases the optimiser would remove; but allocation and freeing dominate either way, and they run in the optimised runtime and C library, so the compiler step is small here.",
    idiomatic: "Every node is a class instance: a `malloc` and `free` (via swift_allocObject and swift_deallocObject), a header to initialise, and atomic reference-count traffic as the tree is built and as its release cascades through the children. Changed one thing at a time, the costs stack up: the C arena hands out a node with a pointer bump; the same C with `malloc`/`free` per node pays the allocator's bookkeeping; idiomatic Swift's class nodes pay that and then ARC and the object header on top (docs/FINDINGS.md has the measured steps).",
    unsafe: "One arena per chunk, reused for every tree: a node is two Int32 child indices, allocation is bumping an index, freeing a tree is resetting it. Nothing is ever freed per node, and no reference counts exist; a dangling index would go unnoticed.",
    c: "The same arena, the same recursion; the compiled code is close to the unsafe Swift's.",
    parallel: "2 + 16 × (number of depths) chunks of nearly equal cost. Idiomatic scaling depends on the allocator: glibc gives each thread its own arena, so malloc scales, but ARC's atomic operations still cost more than plain stores.",
    vector: Self.noVectors,
    native: "Not measured; not expected to matter: the work is allocation, stores of two indices and calls, none of which wider registers or newer instructions shorten.")

  static let minDepth = 4

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "allocation-bound: every node is a separate allocation (an arena slot in the unsafe and C flavours) reached by a recursive call; there is no arithmetic to put in lanes"
  var vectorNotApplicable: String? { Self.noVectors }
  let ceiling = Ceiling.none("allocation-bound: the allocator, not a unit the harness measures")

  /// Every node of every tree built: 2^(d+1) − 1 for a tree of depth d, over
  /// the stretch tree, the long-lived tree and all the trees of each depth.
  func work(size maxDepth: Int) -> Work {
    func nodes(_ depth: Int) -> Int { (1 << (depth + 1)) - 1 }
    var total = nodes(maxDepth + 1) + nodes(maxDepth)
    for depth in stride(from: Self.minDepth, through: maxDepth, by: 2) {
      total += Self.iterations(depth, maxDepth: maxDepth) * nodes(depth)
    }
    return Work(Double(total), .elements, "tree nodes allocated")
  }
  /// Runs per depth: at `d = max` there are 2^4 = 16 trees, one a run.
  static let runsPerDepth = 16

  /// Below 6 the Benchmarks Game raises the depth to 6; above 21 the trees of
  /// sixteen threads' idiomatic nodes (32 bytes each) pass 2 GiB.
  func validate(size: Int) throws {
    try require(size, in: 6...21, "the Benchmarks Game uses 6 at least; deeper trees outgrow memory")
  }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    let expected = Self.lines(maxDepth: size) { _, depth, trees in trees * ((1 << (depth + 1)) - 1) }
    guard result.text == expected else {
      return .mismatch("expected node counts 2^(d+1) − 1 per tree:\n\(expected)\ngot:\n\(result.text)")
    }
    return size == 10
      ? .matches("the Benchmarks Game's published output at depth 10")
      : .matches("node counts 2^(d+1) − 1 per tree, in closed form")
  }

  func makeWorkload(_ flavour: Flavour, size: Int) -> any Workload {
    Driver(maxDepth: size, check: Self.check(flavour)).cell
  }

  /// One flavour's `check(depth, trees)`: the sum of the checks of `trees` trees of `depth`.
  static func check(_ flavour: Flavour) -> @Sendable (Int, Int) -> Int {
    switch flavour {
    case .vector, .cVector:
      preconditionFailure("binary-trees has no \(flavour) flavour")
    case .idiomatic:
      return { depth, trees in Idiomatic.BinaryTrees.check(depth: depth, trees: trees) }
    case .span:
      return { depth, trees in Spans.binaryTrees(depth, trees) }
    case .unsafe:
      return { depth, trees in Self.withArena(depth: depth) { Unsafe.binaryTrees(depth, trees, $0) } }
    case .c:
      return { depth, trees in Self.withArena(depth: depth) { ck_binary_trees(depth, trees, $0) } }
    }
  }

  /// The output, given every chunk's check in chunk order.
  static func result(maxDepth: Int, checks: [Int]) -> KernelResult {
    let text = lines(maxDepth: maxDepth) { index, _, _ in checks[index] }
    return KernelResult(text: text, checksum: FNV1a.hash(text.utf8))
  }

  // MARK: - Chunks

  /// The depth and tree count of chunk `index` (see the type's documentation).
  static func chunk(_ index: Int, maxDepth: Int) -> (depth: Int, trees: Int) {
    switch index {
    case 0: return (maxDepth + 1, 1)
    case 1: return (maxDepth, 1)
    default:
      let depth = minDepth + 2 * ((index - 2) / runsPerDepth)
      let run = (index - 2) % runsPerDepth
      return (depth, chunkRange(run, of: runsPerDepth, total: iterations(depth, maxDepth: maxDepth)).count)
    }
  }

  static func chunkCount(maxDepth: Int) -> Int {
    2 + runsPerDepth * ((maxDepth - minDepth) / 2 + 1)
  }

  static func iterations(_ depth: Int, maxDepth: Int) -> Int { 1 << (maxDepth - depth + minDepth) }

  /// The output lines, given the check of each chunk (`check(index, depth, trees)`).
  static func lines(maxDepth: Int, check: (Int, Int, Int) -> Int) -> String {
    var lines: [String] = []
    lines.append("stretch tree of depth \(maxDepth + 1)\t check: \(check(0, maxDepth + 1, 1))")
    var index = 2
    for depth in stride(from: minDepth, through: maxDepth, by: 2) {
      var total = 0
      for _ in 0..<runsPerDepth {
        let (_, trees) = chunk(index, maxDepth: maxDepth)
        total += check(index, depth, trees)
        index += 1
      }
      lines.append("\(iterations(depth, maxDepth: maxDepth))\t trees of depth \(depth)\t check: \(total)")
    }
    lines.append("long lived tree of depth \(maxDepth)\t check: \(check(1, maxDepth, 1))")
    return lines.joined(separator: "\n")
  }

  /// Runs `body` with an uninitialised arena big enough for one tree of
  /// `depth`: 2^(depth+1) − 1 nodes of two Int32 child indices. One arena a
  /// chunk, allocated inside the timed run in both the unsafe and C flavours.
  static func withArena(depth: Int, _ body: (UnsafeMutablePointer<Int32>) -> Int) -> Int {
    let arena = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * ((1 << (depth + 1)) - 1))
    defer { arena.deallocate() }
    return body(arena)
  }

  // MARK: - Driver

  /// Runs all chunks with one flavour's `check(depth, trees)` (the sum of the
  /// checks of `trees` trees of `depth`) and keeps the checks in chunk order.
  private final class Driver {
    let maxDepth: Int
    let check: @Sendable (Int, Int) -> Int
    /// The check of every chunk, in chunk order (zeros until `run`).
    var checks: [Int]

    init(maxDepth: Int, check: @escaping @Sendable (Int, Int) -> Int) {
      self.maxDepth = maxDepth
      self.check = check
      checks = Array(repeating: 0, count: BinaryTrees.chunkCount(maxDepth: maxDepth))
    }

    var cell: Cell { Cell(run: run, result: result) }

    func run(on executor: any ParallelExecutor) {
      let (maxDepth, check) = (maxDepth, check)
      checks = executor.map(BinaryTrees.chunkCount(maxDepth: maxDepth)) { i in
        let (depth, trees) = BinaryTrees.chunk(i, maxDepth: maxDepth)
        return check(depth, trees)
      }
    }

    func result() -> KernelResult { BinaryTrees.result(maxDepth: maxDepth, checks: checks) }
  }
}
