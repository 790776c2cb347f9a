// Cache bandwidth: the triad repeated over arrays that fit one cache level.

import CMachineLimits
import Dispatch

/// The triad over small arrays, each thread with its own three, run again and
/// again so the data stays in the level the arrays were sized for.
enum CacheTriad {
  /// The best GB/s (24 bytes an element, as STREAM counts) within about
  /// `budgetSeconds`, at least two timed runs, on `threads` threads whose
  /// arrays take `bytesPerThread` bytes each (at least 8 elements an array).
  static func measure(bytesPerThread: Int, threads: Int, budgetSeconds: Double) -> Double {
    let n = max(8, bytesPerThread / 24 & ~7)
    let arrays = (0..<threads).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: 3 * n * 8, alignment: 64).bindMemory(to: Double.self, capacity: 3 * n)
    }
    defer { arrays.forEach { $0.deallocate() } }
    // The threads read and write only their own arrays, and concurrentPerform
    // returns after every iteration has: no array is touched by two at once.
    nonisolated(unsafe) let bases = arrays
    func forEachThread(_ body: @Sendable (UnsafeMutablePointer<Double>) -> Void) {
      if threads == 1 { return body(bases[0]) }
      DispatchQueue.concurrentPerform(iterations: threads) { t in body(bases[t]) }
    }
    forEachThread { p in ml_triad_fill(p, p + n, p + 2 * n, 0, n) }
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(budgetSeconds)
    var repeats = 1
    var best = 0.0
    var runs = 0
    while runs < 2 || clock.now < deadline {
      let start = clock.now
      let r = repeats
      forEachThread { p in ml_triad_repeat(p, p + n, p + 2 * n, TriadArrays.scalar, n, r) }
      let seconds = max((clock.now - start).seconds, 1e-9)
      best = max(best, 24 * Double(n * repeats * threads) / seconds / 1e9)
      runs += 1
      // Grow each run towards 1 ms, long beside a thread's wake-up.
      if seconds < 0.001 { repeats *= 2 }
    }
    precondition(bases[0][n - 1] == TriadArrays.expected(n - 1), "cache triad probe: wrong answer")
    return best
  }
}
