// nqueens, unsafe flavour. See Kernels/NQueens.swift.

extension Unsafe {
  /// The completions of an n×n board whose rows 0 and 1 hold queens in columns
  /// `col0` and `col1`. Mirrors `ck_nqueens_chunk`.
  ///
  /// The same backtracking as the idiomatic flavour, columns tried in the same
  /// increasing order, but the occupied columns and diagonals are three
  /// `UInt32` bitmasks passed by value: a free square is one `and-not`, the next
  /// candidate is the lowest set bit, and nothing is allocated or checked.
  public static func nqueensChunk(_ n: Int, _ col0: Int, _ col1: Int) -> Int {
    precondition((2...31).contains(n) && (0..<n).contains(col0) && (0..<n).contains(col1),
                 "bad nqueens opening")
    let all = UInt32(truncatingIfNeeded: (1 << n) - 1)
    let bit0 = UInt32(1) << col0, bit1 = UInt32(1) << col1
    return nqueensPlace(all, bit0 | bit1, (bit0 << 1 | bit1) << 1, (bit0 >> 1 | bit1) >> 1)
  }

  /// Completions of a board whose rows so far fill the columns in `cols` and
  /// attack, in the next row, the columns in `left` and `right` (the diagonals,
  /// shifted one column per row). Mirrors the C `ck_nqueens_place`.
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
