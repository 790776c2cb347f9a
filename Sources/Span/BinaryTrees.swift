// binary-trees, span flavour. See Kernels/BinaryTrees.swift.

extension Spans {
  /// The sum of the checks of `trees` trees of `depth`, each built in one
  /// arena; mirrors `Unsafe.binaryTrees`.
  ///
  /// The same arena, reused for every tree: node i's two child indices
  /// (−1 for none), the same 8 bytes a node in the same order, held as one
  /// `SIMD2<Int32>` so that a node costs one checked access instead of two.
  /// An array (zero-filled once a chunk, where the unsafe flavour's is left
  /// uninitialised) reached through a `MutableSpan`: a dangling or corrupt
  /// index traps instead of going unnoticed.
  public static func binaryTrees(_ depth: Int, _ trees: Int) -> Int {
    precondition(0 <= depth && depth < 30 && trees >= 0, "depth out of range")
    var storage = [SIMD2<Int32>](repeating: .zero, count: (1 << (depth + 1)) - 1)
    var arena = storage.mutableSpan
    var total = 0
    for _ in 0..<trees {
      var next: Int32 = 0
      let root = buildTree(depth, &arena, &next)
      total &+= checkTree(root, arena.span)  // total ≤ trees · 2^31, far below Int.max
    }
    return total
  }

  /// Builds a tree of `depth` from node `next` on; returns its root.
  static func buildTree(_ depth: Int, _ arena: inout MutableSpan<SIMD2<Int32>>, _ next: inout Int32) -> Int32 {
    let node = next
    next &+= 1  // at most 2^(depth+1) − 1 < 2^31 nodes
    if depth > 0 {
      let left = buildTree(depth &- 1, &arena, &next)
      let right = buildTree(depth &- 1, &arena, &next)
      arena[Int(node)] = SIMD2(left, right)
    } else {
      arena[Int(node)] = SIMD2(-1, -1)
    }
    return node
  }

  /// The number of nodes of the tree rooted at `node`.
  static func checkTree(_ node: Int32, _ arena: Span<SIMD2<Int32>>) -> Int {
    let children = arena[Int(node)]
    if children.x < 0 { return 1 }
    // Counts stay below 2^31: the tree has fewer nodes than that.
    return 1 &+ checkTree(children.x, arena) &+ checkTree(children.y, arena)
  }
}
