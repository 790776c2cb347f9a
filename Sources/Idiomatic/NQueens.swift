// nqueens, idiomatic flavour. See Kernels/NQueens.swift.

import KernelKit

extension Idiomatic {
  /// Counts the placements of n non-attacking queens by recursive
  /// backtracking, one row at a time, with `[Bool]` arrays marking the
  /// occupied columns and diagonals.
  public final class NQueens {
    public let n: Int
    /// The legal (row 0 column, row 1 column) pairs, one chunk each.
    public let openings: [(Int, Int)]
    /// The number of solutions, after `run`.
    public private(set) var solutions = 0

    public init(n: Int, openings: [(Int, Int)]) {
      self.n = n
      self.openings = openings
    }

    /// Each chunk places the queens of its opening and counts the completions
    /// recursively; the counts are added in chunk order.
    public func run(on executor: any ParallelExecutor) {
      let (n, openings) = (n, openings)
      solutions = executor.map(openings.count) { i in Self.completions(n: n, opening: openings[i]) }
        .reduce(0, +)
    }

    /// One chunk: the completions of the board whose first two rows hold `opening`.
    public static func completions(n: Int, opening: (Int, Int)) -> Int {
      var board = Board(n: n)
      board.place(row: 0, column: opening.0)
      board.place(row: 1, column: opening.1)
      return board.completions(from: 2)
    }
  }

  /// An n×n board's occupied columns and diagonals.
  struct Board {
    let n: Int
    private var columns: [Bool]
    /// Indexed by row + column.
    private var diagonals: [Bool]
    /// Indexed by row - column + n - 1.
    private var antiDiagonals: [Bool]

    init(n: Int) {
      self.n = n
      columns = Array(repeating: false, count: n)
      diagonals = Array(repeating: false, count: 2 * n - 1)
      antiDiagonals = Array(repeating: false, count: 2 * n - 1)
    }

    func isFree(row: Int, column: Int) -> Bool {
      !columns[column] && !diagonals[row + column] && !antiDiagonals[row - column + n - 1]
    }

    mutating func place(row: Int, column: Int) { mark(row: row, column: column, true) }

    mutating func remove(row: Int, column: Int) { mark(row: row, column: column, false) }

    private mutating func mark(row: Int, column: Int, _ occupied: Bool) {
      columns[column] = occupied
      diagonals[row + column] = occupied
      antiDiagonals[row - column + n - 1] = occupied
    }

    /// The ways to fill rows `row..<n`, trying columns left to right.
    mutating func completions(from row: Int) -> Int {
      if row == n { return 1 }
      var count = 0
      for column in 0..<n where isFree(row: row, column: column) {
        place(row: row, column: column)
        count += completions(from: row + 1)
        remove(row: row, column: column)
      }
      return count
    }
  }
}
