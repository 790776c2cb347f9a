// The harness's one parallel executor: persistent threads, dynamic scheduling.

import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fixed set of worker threads that run the chunks of one phase at a time.
///
/// `forEach` publishes a job, wakes the workers, and takes part itself; every
/// thread claims the next chunk index from one atomic counter until none are
/// left (dynamic scheduling, so uneven chunks balance out). Threads are created
/// once, so a kernel with a barrier per step (nbody) pays a wake-up per phase,
/// not a thread start. Idle workers spin briefly, then sleep on a condition
/// variable. A pool of `threads` runs `threads - 1` workers plus the caller.
///
/// Callers on different threads may share a pool: their jobs run one after the
/// other. A chunk must not call `forEach` on its own pool (it would wait for
/// itself).
public final class ThreadPool: ParallelExecutor, @unchecked Sendable {
  public let threads: Int

  private struct Job {
    let count: Int
    let body: @Sendable (Int) -> Void
  }

  // Guarded by `mutex`.
  private var job: Job?
  private var generation = 0
  private var shuttingDown = false

  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  /// Held by the caller for a whole `forEach`: one job at a time.
  private let submission = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  /// Mirrors `generation` so that spinning workers see a new job without the lock.
  private let published = Atomic<Int>(0)
  /// Workers that have not yet finished the current job.
  private let remaining = Atomic<Int>(0)
  /// The next chunk index to claim.
  private let next = Atomic<Int>(0)
  private var workers: [pthread_t] = []

  /// Starts `threads - 1` worker threads. `threads` must be at least 1.
  public init(threads: Int) {
    precondition(threads >= 1, "a pool needs at least one thread")
    self.threads = threads
    pthread_mutex_init(mutex, nil)
    pthread_mutex_init(submission, nil)
    pthread_cond_init(wake, nil)
    pthread_cond_init(finished, nil)
    for _ in 1..<threads {
      let context = Unmanaged.passRetained(WorkerContext(pool: self)).toOpaque()
      #if canImport(Darwin)
        var thread: pthread_t?
      #else
        var thread = pthread_t()
      #endif
      let status = pthread_create(&thread, nil, { raw in
        let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
        context.pool?.workerLoop()
        return nil
      }, context)
      precondition(status == 0, "pthread_create failed with \(status)")
      #if canImport(Darwin)
        workers.append(thread!)
      #else
        workers.append(thread)
      #endif
    }
  }

  deinit {
    pthread_mutex_lock(mutex)
    shuttingDown = true
    published.add(1, ordering: .releasing)
    pthread_cond_broadcast(wake)
    pthread_mutex_unlock(mutex)
    for thread in workers { pthread_join(thread, nil) }
    pthread_cond_destroy(wake)
    pthread_cond_destroy(finished)
    pthread_mutex_destroy(mutex)
    pthread_mutex_destroy(submission)
    mutex.deallocate()
    submission.deallocate()
    wake.deallocate()
    finished.deallocate()
  }

  public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    guard threads > 1, count > 1 else {
      for i in 0..<count { body(i) }
      return
    }
    pthread_mutex_lock(submission)
    defer { pthread_mutex_unlock(submission) }
    withoutActuallyEscaping(body) { body in
      let job = Job(count: count, body: body)
      // No worker touches `next` between jobs: the previous forEach waited for all.
      next.store(0, ordering: .relaxed)
      remaining.store(workers.count, ordering: .relaxed)
      pthread_mutex_lock(mutex)
      self.job = job
      generation += 1
      published.store(generation, ordering: .releasing)
      pthread_cond_broadcast(wake)
      pthread_mutex_unlock(mutex)

      drain(job)

      if !spin(until: { remaining.load(ordering: .acquiring) == 0 }) {
        pthread_mutex_lock(mutex)
        while remaining.load(ordering: .acquiring) > 0 { pthread_cond_wait(finished, mutex) }
        pthread_mutex_unlock(mutex)
      }
      pthread_mutex_lock(mutex)
      self.job = nil  // every worker has dropped its copy; the closure does not escape
      pthread_mutex_unlock(mutex)
    }
  }

  // MARK: - Workers

  /// Claims chunk indices until none are left.
  private func drain(_ job: Job) {
    while true {
      let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard i < job.count else { return }
      job.body(i)
    }
  }

  /// Busy-waits a little (yielding the core as it goes) for `condition`.
  private func spin(until condition: () -> Bool) -> Bool {
    for round in 0..<2_000 {
      if condition() { return true }
      if round >= 1_000 { sched_yield() }
    }
    return condition()
  }

  fileprivate func workerLoop() {
    var seen = 0
    while true {
      _ = spin { published.load(ordering: .acquiring) != seen }
      pthread_mutex_lock(mutex)
      while generation == seen && !shuttingDown { pthread_cond_wait(wake, mutex) }
      if shuttingDown {
        pthread_mutex_unlock(mutex)
        return
      }
      seen = generation
      do {
        let job = self.job!
        pthread_mutex_unlock(mutex)
        drain(job)
      }
      if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
        pthread_mutex_lock(mutex)
        pthread_cond_signal(finished)
        pthread_mutex_unlock(mutex)
      }
    }
  }
}

/// Carries a weak reference to the pool into a new thread, so that the
/// threads do not keep their own pool alive.
private final class WorkerContext {
  weak var pool: ThreadPool?
  init(pool: ThreadPool) { self.pool = pool }
}
