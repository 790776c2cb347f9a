// Memory bandwidth: STREAM's triad over arrays far larger than the caches.

import CMachineLimits
import Dispatch

/// The three arrays of STREAM's triad `a[i] = b[i] + s·c[i]` and the probe that
/// runs it on one thread or on several.
///
/// The arrays are allocated untouched and filled by `threads` threads, each
/// writing the slice it will later run, so on a multi-socket machine each slice's
/// pages sit on the node of the thread that uses them (Linux's first-touch
/// policy). Slices start on 64-byte boundaries, so no two threads write the same
/// cache line. The loop itself is `ml_triad`, plain C the compiler vectorises.
final class TriadArrays {
  /// STREAM's scalar.
  static let scalar = 3.0

  let elements: Int
  private let a: UnsafeMutablePointer<Double>
  private let b: UnsafeMutablePointer<Double>
  private let c: UnsafeMutablePointer<Double>

  /// Allocates the three arrays and first-touches them on `threads` threads.
  init(elements: Int, threads: Int) {
    precondition(elements >= 1 && threads >= 1, "a triad needs elements and threads")
    self.elements = elements
    func allocate() -> UnsafeMutablePointer<Double> {
      UnsafeMutableRawPointer.allocate(byteCount: elements * MemoryLayout<Double>.stride, alignment: 64)
        .bindMemory(to: Double.self, capacity: elements)
    }
    (a, b, c) = (allocate(), allocate(), allocate())
    forEachSlice(threads: threads) { a, b, c, lo, hi in ml_triad_fill(a, b, c, lo, hi) }
  }

  deinit {
    a.deallocate()
    b.deallocate()
    c.deallocate()
  }

  /// `[lo, hi)` of slice `t` of `threads`: equal shares, every boundary but
  /// the last a multiple of 8 doubles (64 bytes).
  func slice(_ t: Int, of threads: Int) -> Range<Int> {
    Self.slice(t, of: threads, elements: elements)
  }

  static func slice(_ t: Int, of threads: Int, elements: Int) -> Range<Int> {
    func boundary(_ t: Int) -> Int {
      t == threads ? elements : (elements / threads * t) & ~7
    }
    return boundary(t)..<boundary(t + 1)
  }

  /// The C signature both chunk functions share: a, b, c, lo, hi.
  typealias Chunk = @Sendable (
    UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int, Int
  ) -> Void

  /// Calls `body` once per slice, slice `t` on the `t`th of `threads`
  /// concurrent iterations.
  private func forEachSlice(threads: Int, _ body: Chunk) {
    if threads == 1 { return body(a, b, c, 0, elements) }
    let elements = elements
    // The iterations share the three arrays but write disjoint slices of them
    // (`slice` partitions [0, elements)), and `concurrentPerform` returns only
    // after every iteration has: no element is touched by two threads at once.
    nonisolated(unsafe) let (a, b, c) = (a, b, c)
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      let range = Self.slice(t, of: threads, elements: elements)
      body(a, b, c, range.lowerBound, range.upperBound)
    }
  }

  /// One triad pass over all elements on `threads` threads, timed from before
  /// the first slice starts to after the last one ends (STREAM's convention):
  /// its seconds.
  func run(threads: Int) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    forEachSlice(threads: threads) { a, b, c, lo, hi in ml_triad(a, b, c, Self.scalar, lo, hi) }
    return max((clock.now - start).seconds, 1e-9)
  }

  /// The best GB/s (24 bytes per element) over repeated passes within about
  /// `budgetSeconds`, at least two passes whatever the budget.
  func measure(threads: Int, budgetSeconds: Double) -> Double {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(budgetSeconds)
    let bytes = 24 * Double(elements)
    var best = 0.0
    var passes = 0
    while passes < 2 || clock.now < deadline {
      best = max(best, bytes / run(threads: threads) / 1e9)
      passes += 1
    }
    return best
  }

  /// The triad's answer at `i`: b[i] = 1 + (i mod 8), c[i] = 2, so a[i] = 7 + (i mod 8).
  static func expected(_ i: Int) -> Double { Double(1 + (i & 7)) + scalar * 2 }

  /// a[i] after the last pass (0 before any).
  func value(at i: Int) -> Double {
    precondition((0..<elements).contains(i), "index out of range")
    return a[i]
  }

  /// Checks the first, middle and last element of every slice of up to 64
  /// threads against `expected`: the result that shows the passes did the work.
  func verify() {
    var indices: Set<Int> = [0, elements / 2, elements - 1]
    for threads in [2, 4, 8, 16, 32, 64] where threads <= elements {
      for t in 0..<threads {
        let range = slice(t, of: threads)
        if !range.isEmpty { indices.formUnion([range.lowerBound, range.upperBound - 1]) }
      }
    }
    for i in indices {
      precondition(a[i] == Self.expected(i), "triad probe: a[\(i)] = \(a[i]), expected \(Self.expected(i))")
    }
  }
}
