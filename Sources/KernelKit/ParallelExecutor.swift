// Who runs a kernel's chunks. The harness owns the threads; a flavour only
// says how many chunks there are and what each one computes.

/// Runs the chunks of one parallel phase of a kernel.
public protocol ParallelExecutor: Sendable {
  /// How many threads may run chunks at the same time.
  var threads: Int { get }
  /// Calls `body(i)` exactly once for every `i` in `0..<count`, spread over the
  /// executor's threads, and returns when all calls have returned. The order is
  /// unspecified; each call must touch only its own chunk's output.
  func forEach(_ count: Int, _ body: @Sendable (Int) -> Void)
}

extension ParallelExecutor {
  /// Runs `body` for every chunk and returns the results in chunk order.
  ///
  /// Each partial result is written to its own cache-line-padded slot, so
  /// chunks on different cores never share a line while they run.
  public func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = PaddedSlots<T>(count: count)
    forEach(count) { slots.initialize($0, to: body($0)) }
    return slots.moveToArray()
  }
}

/// Runs every chunk on the calling thread, in index order.
public struct SequentialExecutor: ParallelExecutor {
  public init() {}
  public var threads: Int { 1 }
  public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
    for i in 0..<count { body(i) }
  }
}

// MARK: - Padded partial results

/// `count` slots of `T`, each starting on its own 128-byte boundary (two cache
/// lines, which also defeats the adjacent-line prefetcher).
///
/// Every slot is initialised exactly once, by the one chunk that owns it, before
/// `moveToArray()` is called on the thread that ran `forEach`; that disjointness
/// is what makes the `@unchecked Sendable` sound.
final class PaddedSlots<T>: @unchecked Sendable {
  private static var stride: Int { (MemoryLayout<T>.stride + 127) & ~127 }
  private let base: UnsafeMutableRawPointer
  private let count: Int

  init(count: Int) {
    self.count = count
    base = .allocate(byteCount: max(1, count) * Self.stride, alignment: 128)
  }

  deinit { base.deallocate() }

  func initialize(_ index: Int, to value: T) {
    precondition((0..<count).contains(index), "slot index out of range")
    (base + index * Self.stride).initializeMemory(as: T.self, to: value)
  }

  func moveToArray() -> [T] {
    (0..<count).map { (base + $0 * Self.stride).assumingMemoryBound(to: T.self).move() }
  }
}
