// binary-trees, idiomatic flavour. See Kernels/BinaryTrees.swift.

extension Idiomatic {
  /// Perfect binary trees of class instances, as the Benchmarks Game's Swift
  /// programs and most Swift programmers write them.
  ///
  /// A class rather than `indirect enum Tree { case leaf, node(Tree, Tree) }`:
  /// both put every node in its own reference-counted heap box (an indirect
  /// case is boxed the same way), so they cost the same allocation and ARC, but
  /// the class says "a node with two optional children" directly and matches
  /// the Benchmarks Game's own programs, where a leaf is a node without
  /// children.
  public enum BinaryTrees {
    /// The sum of the checks of `trees` freshly built trees of `depth`.
    public static func check(depth: Int, trees: Int) -> Int {
      var total = 0
      for _ in 0..<trees {
        total += Node(depth: depth).check
      }
      return total
    }
  }

  final class Node {
    let left: Node?
    let right: Node?

    /// A perfect tree of `depth`, built bottom-up: one allocation per node.
    init(depth: Int) {
      if depth > 0 {
        left = Node(depth: depth - 1)
        right = Node(depth: depth - 1)
      } else {
        left = nil
        right = nil
      }
    }

    /// The number of nodes.
    var check: Int {
      guard let left, let right else { return 1 }
      return 1 + left.check + right.check
    }
  }
}
