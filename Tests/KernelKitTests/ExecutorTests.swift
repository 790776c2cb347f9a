import Foundation
import Synchronization
import Testing
import KernelKit

@Suite("Executor")
struct ExecutorTests {
  /// Every chunk runs exactly once, whatever the thread and chunk counts.
  @Test(arguments: [1, 2, 3, 8], [0, 1, 2, 7, 1000])
  func everyChunkRunsExactlyOnce(threads: Int, chunks: Int) {
    let pool = ThreadPool(threads: threads)
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(chunks, 1))
    counts.initialize(repeating: 0)
    defer { counts.deallocate() }
    // Chunk i increments only counts[i]: the chunks write disjoint memory.
    nonisolated(unsafe) let counters = counts
    // Several jobs on one pool: the pool is reused between phases.
    for _ in 0..<5 {
      pool.forEach(chunks) { counters[$0] += 1 }
    }
    #expect(counts.prefix(chunks).allSatisfy { $0 == 5 })
  }

  /// `map` returns the partial results in chunk order, equal to the serial ones.
  @Test(arguments: [2, 3, 5])
  func mapEqualsSerial(threads: Int) {
    let pool = ThreadPool(threads: threads)
    let body: @Sendable (Int) -> [Int] = { i in (0...i % 17).map { $0 * i } }
    #expect(pool.map(300, body) == SequentialExecutor().map(300, body))
  }

  @Test func chunksRunOnSeveralThreads() {
    let pool = ThreadPool(threads: 3)
    let seen = Locked<Set<String>>([])
    pool.forEach(64) { _ in
      // Long enough that the workers wake before the caller drains the queue.
      var x = 0.0
      for i in 0..<200_000 { x += Double(i).squareRoot() }
      let name = "\(pthread_self())" + (x < 0 ? "!" : "")
      _ = seen.withLock { $0.insert(name) }
    }
    #expect(seen.withLock { $0.count } > 1)
  }

  @Test func concurrentCallersShareAPool() async {
    let pool = ThreadPool(threads: 2)
    await withTaskGroup(of: Int.self) { group in
      for t in 0..<4 {
        group.addTask { pool.map(100) { $0 + t }.reduce(0, +) }
      }
      var total = 0
      for await sum in group { total += sum }
      #expect(total == 4 * 4950 + 100 * (0 + 1 + 2 + 3))
    }
  }

  @Test func chunkRangesTileTheWhole() {
    for total in [0, 1, 7, 64, 1000] {
      for count in [1, 3, 8, 64] {
        let ranges = (0..<count).map { chunkRange($0, of: count, total: total) }
        #expect(ranges.first!.lowerBound == 0)
        #expect(ranges.last!.upperBound == total)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
      }
    }
  }
}
