// binary-trees, unsafe flavour. See Kernels/BinaryTrees.swift.

extension Unsafe {
  /// The sum of the checks of `trees` trees of `depth`, each built in `arena`;
  /// mirrors `ck_binary_trees`.
  ///
  /// `arena` holds 2^(depth+1) − 1 nodes, node i at `arena[2i]` (left child's
  /// index) and `arena[2i + 1]` (right child's), −1 for none. Each tree is built
  /// by bumping an index from 0; the next tree reuses the arena from 0, which is
  /// how a tree is freed. No per-node allocation, no reference counting.
  public static func binaryTrees(_ depth: Int, _ trees: Int, _ arena: UnsafeMutablePointer<Int32>) -> Int {
    precondition(0 <= depth && depth < 30 && trees >= 0, "depth out of range")
    var total = 0
    for _ in 0..<trees {
      var next: Int32 = 0
      let root = buildTree(depth, arena, &next)
      total &+= checkTree(root, arena)  // total ≤ trees · 2^31, far below Int.max
    }
    return total
  }

  /// Builds a tree of `depth` from node `next` on; returns its root.
  static func buildTree(_ depth: Int, _ arena: UnsafeMutablePointer<Int32>, _ next: inout Int32) -> Int32 {
    let node = next
    next &+= 1  // at most 2^(depth+1) − 1 < 2^31 nodes
    let slot = 2 &* Int(node)
    if depth > 0 {
      let left = buildTree(depth &- 1, arena, &next)
      let right = buildTree(depth &- 1, arena, &next)
      arena[slot] = left
      arena[slot &+ 1] = right
    } else {
      arena[slot] = -1
      arena[slot &+ 1] = -1
    }
    return node
  }

  /// The number of nodes of the tree rooted at `node`.
  static func checkTree(_ node: Int32, _ arena: UnsafeMutablePointer<Int32>) -> Int {
    let slot = 2 &* Int(node)
    let left = arena[slot]
    if left < 0 { return 1 }
    // Counts stay below 2^31: the tree has fewer nodes than that.
    return 1 &+ checkTree(left, arena) &+ checkTree(arena[slot &+ 1], arena)
  }
}
