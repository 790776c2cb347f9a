// latency, unsafe flavour. See Kernels/Latency.swift.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Unsafe {
  /// Equals `CK_LATENCY_SEED` (checked by a test).
  public static let latencySeed: UInt64 = 0x1a7e_9c5e_9d2b_4f31

  /// Waits for a reply that never comes on `fd` (the read end of a pipe nobody
  /// writes to) for `milliseconds`: a timed wait on a descriptor, the way a
  /// client waits on a socket. `poll` counts in whole milliseconds.
  public static func latencyWait(_ fd: Int32, _ milliseconds: Int32) {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    var left = milliseconds
    // A signal may end the wait early; wait out the rest.
    while left > 0, poll(&entry, 1, left) < 0, errno == EINTR {
      var now = timespec()
      clock_gettime(CLOCK_MONOTONIC, &now)
      let spent = (now.tv_sec - deadline.tv_sec) * 1000 + (now.tv_nsec - deadline.tv_nsec) / 1_000_000
      left = milliseconds - Int32(clamping: spent)
    }
  }

  /// The CPU work on request `request`'s reply; mirrors `ck_latency_work`.
  public static func latencyWork(_ request: Int, _ rounds: Int) -> UInt64 {
    // Wrapping arithmetic is SplitMix64's definition, not an overflow.
    var state = latencySeed ^ (UInt64(bitPattern: Int64(request)) &* 0x9e37_79b9_7f4a_7c15)
    var digest: UInt64 = 0
    var r = 0
    while r < rounds {
      state &+= 0x9e37_79b9_7f4a_7c15
      var z = state
      z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
      z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
      digest ^= z ^ (z >> 31)
      digest = digest << 5 | digest >> 59
      r &+= 1  // r < rounds
    }
    return digest
  }
}
