// nqueens, span flavour. See Kernels/NQueens.swift.

extension Spans {
  /// The completions of an n×n board whose rows 0 and 1 hold queens in columns
  /// `col0` and `col1`; mirrors `Unsafe.nqueensChunk`.
  ///
  /// The unsafe flavour's bitmasks are values passed down the recursion: it
  /// indexes no memory, so it has nothing unsafe to give up and this is the
  /// same code. The kernel is here so that the span step is measured (and
  /// reads 1×) on every kernel.
  public static func nqueensChunk(_ n: Int, _ col0: Int, _ col1: Int) -> Int {
    precondition(
      (2...31).contains(n) && (0..<n).contains(col0) && (0..<n).contains(col1), "bad nqueens opening")
    let all = UInt32(truncatingIfNeeded: (1 << n) - 1)
    let bit0 = UInt32(1) << col0, bit1 = UInt32(1) << col1
    return nqueensPlace(all, bit0 | bit1, (bit0 << 1 | bit1) << 1, (bit0 >> 1 | bit1) >> 1)
  }

  /// Completions of a board whose rows so far fill `cols` and attack, in the
  /// next row, `left` and `right`.
  static func nqueensPlace(_ all: UInt32, _ cols: UInt32, _ left: UInt32, _ right: UInt32) -> Int {
    if cols == all { return 1 }
    var solutions = 0
    var free = all & ~(cols | left | right)
    while free != 0 {
      let bit = free & (0 &- free)  // the lowest free column
      free ^= bit
      solutions &+= nqueensPlace(all, cols | bit, (left | bit) << 1, (right | bit) >> 1)  // ≤ n! total
    }
    return solutions
  }
}
