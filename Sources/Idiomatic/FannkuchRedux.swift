// fannkuch-redux, idiomatic flavour. See Kernels/FannkuchRedux.swift.

import KernelKit

extension Idiomatic {
  /// The Benchmarks Game's fannkuch-redux over all permutations of 0..<n,
  /// written with `[Int]`, `swapAt` for the flips and
  /// `remove(at:)`/`insert(_:at:)` for the rotations.
  public final class FannkuchRedux {
    public let n: Int
    /// Chunk i covers permutations `chunkRange(i, of: chunks, total: n!)`.
    public let chunks: Int
    /// The alternating-sign sum of the flip counts, after `run`.
    public private(set) var checksum = 0
    /// The most flips any permutation needs, after `run`.
    public private(set) var maxFlips = 0

    public init(n: Int, chunks: Int) {
      precondition(n >= 1 && chunks >= 1, "fannkuch-redux needs n >= 1 and a chunk")
      self.n = n
      self.chunks = chunks
    }

    /// Each chunk returns its (signed flip sum, most flips); the sums are added
    /// in chunk order.
    public func run(on executor: any ParallelExecutor) {
      let (n, chunks) = (n, chunks)
      let total = (1...n).reduce(1, *)
      let partials = executor.map(chunks) { i in
        Self.chunk(n: n, indices: chunkRange(i, of: chunks, total: total))
      }
      checksum = partials.reduce(0) { $0 + $1.checksum }
      maxFlips = partials.map(\.maxFlips).max() ?? 0
    }

    /// The permutations whose numbers lie in `indices`, walked in order.
    public static func chunk(n: Int, indices: Range<Int>) -> (checksum: Int, maxFlips: Int) {
      var walker = PermutationWalker(n: n, index: indices.lowerBound)
      var checksum = 0
      var maxFlips = 0
      for index in indices {
        if index > indices.lowerBound { walker.advance() }
        let flips = Self.flips(walker.permutation)
        checksum += index.isMultiple(of: 2) ? flips : -flips
        maxFlips = max(maxFlips, flips)
      }
      return (checksum, maxFlips)
    }

    /// How many prefix reversals bring 0 to the front: reverse the first
    /// `p[0] + 1` elements until `p[0] == 0`. (The copy happens on the first
    /// swap; a permutation that starts with 0 is never copied.)
    ///
    /// The one-liner `p[0...p[0]].reverse()` reads better but costs the whole
    /// kernel several times over, even optimised: the slice shares the array's
    /// buffer, so mutating it copies the prefix into a new buffer and writes it
    /// back with `replaceSubrange`, an allocation and two copies per flip
    /// (docs/FINDINGS.md has the figures).
    static func flips(_ permutation: [Int]) -> Int {
      var p = permutation
      var flips = 0
      while p[0] != 0 {
        var (i, j) = (0, p[0])
        while i < j {
          p.swapAt(i, j)
          i += 1
          j -= 1
        }
        flips += 1
      }
      return flips
    }
  }

  /// Permutations of 0..<n in the Benchmarks Game's order, which is a
  /// factorial-base odometer: digit i (`counts[i]`, 0...i) says how many times
  /// the prefix 0...i has been rotated left by one. Knowing the digits of an
  /// index lets a chunk start anywhere.
  struct PermutationWalker {
    private(set) var permutation: [Int]
    private var counts: [Int]

    /// The permutation numbered `index` (0 is the identity).
    init(n: Int, index: Int) {
      permutation = Array(0..<n)
      counts = Array(repeating: 0, count: n)
      var rest = index
      for i in stride(from: n - 1, through: 1, by: -1) {
        let place = (1...i).reduce(1, *)  // i!
        counts[i] = rest / place
        rest %= place
        for _ in 0..<counts[i] { rotatePrefix(through: i) }
      }
    }

    /// Steps to the next permutation: rotate the prefix 0...1, and when a
    /// prefix has come full circle, carry into the next longer one.
    mutating func advance() {
      var i = 1
      while true {
        rotatePrefix(through: i)
        counts[i] += 1
        if counts[i] <= i { return }
        counts[i] = 0
        i += 1
      }
    }

    /// Moves the first element to position `i`, shifting 1...i left by one.
    private mutating func rotatePrefix(through i: Int) {
      let first = permutation.remove(at: 0)
      permutation.insert(first, at: i)
    }
  }
}
