// Clocks: monotonic wall time for measurements, process CPU time beside it.

import Foundation
import KernelKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Seconds on the monotonic clock (never steps back, unaffected by NTP slews
/// of the calendar clock).
package func monotonicSeconds() -> Double { seconds(of: CLOCK_MONOTONIC) }

/// CPU seconds consumed by every thread of this process so far.
package func processCPUSeconds() -> Double { seconds(of: CLOCK_PROCESS_CPUTIME_ID) }

private func seconds(of clock: clockid_t) -> Double {
  var ts = timespec()
  clock_gettime(clock, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
