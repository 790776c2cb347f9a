// sieve, idiomatic flavour. See Kernels/Sieve.swift.

import KernelKit

extension Idiomatic {
  /// Counts the primes <= n with a segmented sieve of Eratosthenes over the
  /// odd numbers: `[Bool]` arrays, `stride(from:to:by:)` to cross off.
  public final class Sieve {
    public let n: Int
    /// Odd numbers per segment (one chunk).
    public let segmentOdds: Int
    /// π(n), after `run`.
    public private(set) var primeCount = 0

    public init(n: Int, segmentOdds: Int) {
      precondition(n >= 2 && segmentOdds > 0, "sieve needs n >= 2")
      self.n = n
      self.segmentOdds = segmentOdds
    }

    /// Finds the base primes up to √n, then sieves one segment per chunk and
    /// adds the counts in chunk order (plus 1 for the prime 2).
    public func run(on executor: any ParallelExecutor) {
      let (n, segmentOdds) = (n, segmentOdds)
      let primes = Self.basePrimes(upTo: Self.integerSquareRoot(n))
      let odds = (n + 1) / 2
      let segments = (odds + segmentOdds - 1) / segmentOdds
      let counts = executor.map(segments) { segment in
        Self.countPrimes(inSegment: segment, n: n, segmentOdds: segmentOdds, primes: primes)
      }
      primeCount = 1 + counts.reduce(0, +)
    }

    /// The odd primes 3...limit, by a plain sieve over the odd numbers
    /// (`composite[i]` stands for 2i + 1).
    public static func basePrimes(upTo limit: Int) -> [Int] {
      let odds = (limit + 1) / 2
      var composite = Array(repeating: false, count: odds)
      var primes: [Int] = []
      for i in 1..<max(odds, 1) where !composite[i] {
        let p = 2 * i + 1
        primes.append(p)
        for j in stride(from: (p * p - 1) / 2, to: odds, by: p) { composite[j] = true }
      }
      return primes
    }

    /// How many odd primes lie among the odd numbers 2i + 1 <= n with i in
    /// segment `segment` (`composite[j]` stands for 2(first + j) + 1).
    public static func countPrimes(inSegment segment: Int, n: Int, segmentOdds: Int, primes: [Int]) -> Int {
      let first = segment * segmentOdds
      let size = min((n + 1) / 2 - first, segmentOdds)
      let low = 2 * first + 1, high = 2 * (first + size) - 1
      var composite = Array(repeating: false, count: size)
      if segment == 0 { composite[0] = true }  // 1 is not prime
      for p in primes {
        if p * p > high { break }
        // The first odd multiple of p in the segment that is at least p².
        var start = p * p
        if start < low {
          start = low + (p - low % p) % p
          if start.isMultiple(of: 2) { start += p }
        }
        for j in stride(from: (start - low) / 2, to: size, by: p) { composite[j] = true }
      }
      return composite.count { !$0 }
    }

    /// ⌊√n⌋, exactly (the floating-point root corrected by one step either way).
    static func integerSquareRoot(_ n: Int) -> Int {
      var r = Int(Double(n).squareRoot())
      while r * r > n { r -= 1 }
      while (r + 1) * (r + 1) <= n { r += 1 }
      return r
    }
  }
}
