// A value behind a pthread mutex: the lock shared state uses in this package.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value that threads share, read and written only while holding a lock.
///
/// Why not `Synchronization.Mutex`? On Linux its lock and unlock are futex
/// calls inside the uninstrumented standard library, so the thread sanitizer
/// sees none of the ordering they provide and reports the guarded accesses as
/// races. `pthread_mutex_lock` is intercepted by the sanitizer, so with this
/// type `swift test --sanitize=thread` checks what it should and nothing more.
public final class Locked<Value>: @unchecked Sendable {
  // @unchecked: `value` is only touched between lock and unlock.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var value: Value

  public init(_ value: Value) {
    self.value = value
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value.
  public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
