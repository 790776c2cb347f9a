// The other ways to run a phase's chunks: Dispatch, Swift tasks, and threads
// that take turns under one global lock (a model of CPython's GIL). The
// process backend lives in the harness (it starts programs); the contract it
// needs from a kernel is `IndependentChunks` (Partials.swift).

import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Dispatch

/// Runs chunks with `DispatchQueue.concurrentPerform`: `threads` claimers,
/// each taking the next chunk index from one atomic counter (the same dynamic
/// scheduling as `ThreadPool`).
///
/// Dispatch decides how many of the claimers really run at once: it never
/// goes wider than the active cores, so asking for more threads than cores
/// buys nothing here, unlike with `ThreadPool`.
public struct DispatchExecutor: ParallelExecutor {
  public let threads: Int

  public init(threads: Int) {
    precondition(threads >= 1, "an executor needs at least one thread")
    self.threads = threads
  }

  public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let claims = ChunkClaims(count: count)
    let claimers = min(threads, count)
    withoutActuallyEscaping(body) { body in
      DispatchQueue.concurrentPerform(iterations: claimers) { _ in claims.drain(body) }
    }
    // Dispatch already waited for every claimer; this acquire makes their
    // chunks' writes visible here in a way the thread sanitizer can see too
    // (it does not see inside libdispatch's own synchronisation).
    precondition(claims.finishedClaimers() == claimers, "a claimer did not finish")
  }
}

// MARK: - Swift tasks

/// Runs chunks as child tasks of a `TaskGroup` on Swift's cooperative pool.
///
/// `forEach` is synchronous (the kernels are), so it bridges: it starts one
/// unstructured task that runs `threads` child tasks, each claiming chunk
/// indices from an atomic counter, and blocks the *calling* thread on a
/// semaphore until the group is done. That is deadlock-free as long as the
/// calling thread is not itself one of the cooperative pool's threads (the
/// harness calls from the main thread or a `ThreadPool` thread): the tasks
/// never wait for the caller. Called from inside a task, `forEach` runs the
/// chunks on the calling thread instead of blocking a pool thread on work
/// that may need that same thread.
///
/// The cooperative pool has as many threads as cores, so more tasks than
/// cores do not run at once: a chunk that *blocks* (sleeps, reads) holds a
/// pool thread. That is why blocking I/O does not scale past the cores with
/// tasks, where it does with threads (see `benchmark concurrency`).
public struct TaskGroupExecutor: ParallelExecutor {
  public let threads: Int

  public init(threads: Int) {
    precondition(threads >= 1, "an executor needs at least one thread")
    self.threads = threads
  }

  public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let insideTask = withUnsafeCurrentTask { $0 != nil }
    guard !insideTask else {
      for i in 0..<count { body(i) }
      return
    }
    let tasks = min(threads, count)
    let done = DispatchSemaphore(value: 0)
    withoutActuallyEscaping(body) { body in
      // `withoutActuallyEscaping` traps if the closure is still referenced
      // when it returns, and a finished task may free its captures later. So
      // the tasks reach `body` only through `shared`, which this thread empties
      // after the group is done: from then on nothing refers to `body`.
      let shared = Shared(body, count: count)
      Task.detached {
        await withTaskGroup(of: Void.self) { group in
          for _ in 0..<tasks {
            group.addTask {
              shared.claims.drain(shared.body ?? { _ in })  // the body is set until the group is done
            }
          }
        }
        done.signal()
      }
      done.wait()
      // The semaphore already ordered the tasks' work before this point; the
      // acquire says so in terms the thread sanitizer sees (libdispatch's
      // semaphores are not instrumented on Linux).
      precondition(shared.claims.finishedClaimers() == tasks, "a task did not finish")
      shared.clear()
    }
  }

  /// The chunk body and the chunk claims, shared by the child tasks.
  private final class Shared: Sendable {
    let claims: ChunkClaims
    private let stored: Locked<(@Sendable (Int) -> Void)?>

    init(_ body: @escaping @Sendable (Int) -> Void, count: Int) {
      stored = Locked(body)
      claims = ChunkClaims(count: count)
    }

    var body: (@Sendable (Int) -> Void)? { stored.withLock { $0 } }
    func clear() { stored.withLock { $0 = nil } }
  }
}

// MARK: - Dynamic chunk claiming

/// Chunk indices `0..<count` handed out one at a time to whichever claimer
/// asks first (the dynamic scheduling `ThreadPool` uses too), and a count of
/// claimers that found none left.
final class ChunkClaims: Sendable {
  let count: Int
  private let next = Atomic<Int>(0)
  private let finished = Atomic<Int>(0)

  init(count: Int) { self.count = count }

  /// Runs `body` on chunks claimed one by one until none are left, then signs off.
  func drain(_ body: (Int) -> Void) {
    while true {
      let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard i < count else { break }
      body(i)
    }
    finished.add(1, ordering: .releasing)
  }

  /// Claimers that have signed off; the acquire orders their chunks' writes before the caller.
  func finishedClaimers() -> Int { finished.load(ordering: .acquiring) }
}

// MARK: - A global interpreter lock

/// One lock that every chunk holds while it runs, so threads take turns the
/// way CPython's threads take turns under its Global Interpreter Lock.
///
/// CPython releases its GIL around blocking I/O (`Py_BEGIN_ALLOW_THREADS` in
/// the C code of `time.sleep`, `socket.recv`, file reads); kernels do the same
/// by wrapping a blocking wait in `blockingCall`, which releases the lock of
/// the chunk running on this thread, if any, for the duration of the wait.
///
/// Unlike CPython's GIL this lock does not force a switch every 5 ms: a chunk
/// runs to the end or to its next blocking call. For the speed-up of
/// CPU-bound work that makes no difference (the chunks' work is serialised
/// either way); it only changes which thread waits when.
public final class GlobalInterpreterLock: @unchecked Sendable {
  // pthread mutex rather than `Mutex`: `blockingCall` must unlock and re-lock
  // in the middle of a `withLock` scope. All access goes through lock/unlock.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

  public init() { pthread_mutex_init(mutex, nil) }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  func lock() { pthread_mutex_lock(mutex) }
  func unlock() { pthread_mutex_unlock(mutex) }

  /// The lock held by the chunk running on this thread (bound per chunk).
  @TaskLocal static var held: GlobalInterpreterLock?

  /// Runs `body` holding the lock, with `blockingCall` able to release it.
  public func running<T>(_ body: () throws -> T) rethrows -> T {
    lock()
    defer { unlock() }
    return try Self.$held.withValue(self) { try body() }
  }
}

/// Runs a blocking call (a sleep, a read, a timed wait) with this thread's
/// global interpreter lock released, as CPython does around I/O; without a
/// lock (the normal case) it just calls `wait`.
public func blockingCall<T>(_ wait: () throws -> T) rethrows -> T {
  guard let gil = GlobalInterpreterLock.held else { return try wait() }
  gil.unlock()
  defer { gil.lock() }
  return try wait()
}

/// Any executor, with every chunk running under one `GlobalInterpreterLock`.
public struct GILExecutor: ParallelExecutor {
  public let base: any ParallelExecutor
  public let gil: GlobalInterpreterLock

  public init(_ base: any ParallelExecutor, gil: GlobalInterpreterLock = GlobalInterpreterLock()) {
    self.base = base
    self.gil = gil
  }

  public var threads: Int { base.threads }

  public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
    let gil = self.gil
    base.forEach(count) { i in gil.running { body(i) } }
  }
}
