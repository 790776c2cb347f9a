// How a kernel splits its work into chunks.

/// The `index`-th of `count` nearly equal, contiguous pieces of `0..<total`.
///
/// The first `total % count` pieces get one element more. Every flavour splits
/// work with this function, so every flavour computes the same chunks.
public func chunkRange(_ index: Int, of count: Int, total: Int) -> Range<Int> {
  precondition(count > 0 && (0..<count).contains(index), "chunk index out of range")
  let base = total / count
  let extra = total % count
  let lo = index * base + min(index, extra)
  return lo..<(lo + base + (index < extra ? 1 : 0))
}
