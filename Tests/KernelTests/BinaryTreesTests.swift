import Testing
import KernelKit
@testable import Kernels

@Suite("binary-trees")
struct BinaryTreesTests {
  let kernel = catalogueKernel("binary-trees")

  /// The Benchmarks Game's output for depth 10.
  static let depth10 = """
    stretch tree of depth 11\t check: 4095
    1024\t trees of depth 4\t check: 31744
    256\t trees of depth 6\t check: 32512
    64\t trees of depth 8\t check: 32704
    16\t trees of depth 10\t check: 32752
    long lived tree of depth 10\t check: 2047
    """

  @Test(arguments: BinaryTrees().flavours)
  func reproducesTheBenchmarksGameOutput(flavour: Flavour) {
    for executor in [SequentialExecutor(), sharedPool] as [any ParallelExecutor] {
      let result = compute(kernel, flavour, size: 10, on: executor)
      #expect(result.text == Self.depth10)
      #expect(result.checksum == FNV1a.hash(Self.depth10.utf8))
      #expect(kernel.verify(result, size: 10) == .matches("the Benchmarks Game's published output at depth 10"))
    }
  }

  /// An odd depth: the last depth of the loop is max − 1, whose 32 trees split
  /// into 16 runs of two.
  @Test(arguments: BinaryTrees().flavours)
  func oddDepthFollowsTheClosedForm(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 7, on: sharedPool)
    #expect(result.text.hasPrefix("stretch tree of depth 8\t check: 511\n128\t trees of depth 4\t check: 3968\n"))
    #expect(result.text.hasSuffix("32\t trees of depth 6\t check: 4064\nlong lived tree of depth 7\t check: 255"))
    if case .mismatch(let why) = kernel.verify(result, size: 7) { Issue.record("\(why)") }
  }

  @Test func chunksCoverEveryTree() {
    for maxDepth in [6, 7, 10, 15] {
      var trees: [Int: Int] = [:]
      for i in 2..<BinaryTrees.chunkCount(maxDepth: maxDepth) {
        let chunk = BinaryTrees.chunk(i, maxDepth: maxDepth)
        trees[chunk.depth, default: 0] += chunk.trees
      }
      for depth in stride(from: 4, through: maxDepth, by: 2) {
        #expect(trees[depth] == BinaryTrees.iterations(depth, maxDepth: maxDepth))
      }
    }
  }

  /// Nodes at depth 6: stretch 255, long-lived 127, 64 trees of 31 and 16 of 127.
  @Test func workCountsTheNodes() {
    let nodes: Double = 255 + 127 + 64 * 31 + 16 * 127
    #expect(BinaryTrees().work(size: 6).amount == nodes)
  }
}
