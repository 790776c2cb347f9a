// What this machine can do at most, measured in the same run as the benchmarks,
// so every cell can say what fraction of the machine it reached.

import CMachineLimits
import Foundation

/// This machine's measured limits: peak double-precision multiply-add throughput
/// of one core and STREAM-triad memory bandwidth, on one thread and on all.
///
/// The compute limit belongs to *this build*: the probe is C compiled with the
/// package's flags, so a release build (`-O2`, no `-march`) measures baseline
/// x86-64 (SSE2, 16-byte vectors, a multiply and a separate add) and a build with
/// `-Xcc -march=native` measures the native ISA (e.g. AVX-512 with fused
/// multiply-add). Compare a kernel with the limits of the build that ran it.
///
/// Units are decimal: 1 GFLOP/s = 10⁹ flops per second, 1 GB/s = 10⁹ bytes per
/// second. Each probe runs several times and keeps its best (highest) rate, since
/// interference (other processes, frequency ramps, page faults) only slows a run.
public struct MachineLimits: Codable, Equatable, Sendable {
  /// Peak double-precision multiply-add throughput of one thread, in GFLOP/s,
  /// counting one multiply-add (fused or not) as 2 flops.
  public var peakGFLOPSPerCore: Double
  /// Bytes in the vector type the compute probe was compiled for: 16 (SSE2,
  /// NEON), 32 (AVX, AVX2) or 64 (AVX-512F).
  public var vectorBytes: Int
  /// Whether the compute probe's multiply-add was one fused instruction (x86
  /// compiled with `__FMA__`, or any arm64) rather than a multiply and an add.
  public var fma: Bool
  /// STREAM triad `a[i] = b[i] + s·c[i]` on one thread, in GB/s, counting 24
  /// bytes per element (read b and c, write a), STREAM's convention. The write
  /// also reads a's line into the cache first (write-allocate), so the traffic
  /// the memory system actually carries is about 32 bytes per element, 4/3 of
  /// the figure reported.
  public var bandwidthGBps1Thread: Double
  /// The same triad split into `threads` equal slices, one per thread, each
  /// slice first touched by the thread that runs it. Same 24-byte convention.
  public var bandwidthGBpsAllThreads: Double
  /// Threads the all-threads bandwidth probe used.
  public var threads: Int
  /// Bytes in each of the triad's three arrays (sized to dwarf the last-level
  /// cache; see `MachineLimits.defaultElementsPerArray`).
  public var bytesPerArray: Int
  /// Wall-clock seconds the whole measurement took, allocation and first touch
  /// included.
  public var seconds: Double

  public init(
    peakGFLOPSPerCore: Double, vectorBytes: Int, fma: Bool, bandwidthGBps1Thread: Double,
    bandwidthGBpsAllThreads: Double, threads: Int, bytesPerArray: Int, seconds: Double
  ) {
    self.peakGFLOPSPerCore = peakGFLOPSPerCore
    self.vectorBytes = vectorBytes
    self.fma = fma
    self.bandwidthGBps1Thread = bandwidthGBps1Thread
    self.bandwidthGBpsAllThreads = bandwidthGBpsAllThreads
    self.threads = threads
    self.bytesPerArray = bytesPerArray
    self.seconds = seconds
  }
}

// MARK: - Measuring

extension MachineLimits {
  /// Measures this machine's limits.
  ///
  /// Roughly 30% of the budget goes to the compute probe; the rest, after
  /// allocating and first-touching the triad's arrays (about 0.1 s for the
  /// default 3 × 128 MiB), is split evenly between the one-thread and
  /// all-threads triad. Every probe runs at least twice, so a tiny budget is
  /// exceeded rather than giving a single cold measurement.
  ///
  /// - Parameters:
  ///   - threads: Threads for the all-threads bandwidth probe; one per core
  ///     is what "all" means (`ProcessInfo.activeProcessorCount`, the default).
  ///   - budgetSeconds: Time to spend measuring, about 0.5–1.5 s for a run.
  ///   - elementsPerArray: Doubles in each triad array; `nil` chooses
  ///     `defaultElementsPerArray()`. Small values measure cache, not memory.
  /// - Returns: The best rate each probe reached within the budget.
  /// - Complexity: Allocates and touches `3 × elementsPerArray × 8` bytes.
  public static func measure(
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, budgetSeconds: Double = 1.0,
    elementsPerArray: Int? = nil
  ) -> MachineLimits {
    precondition(threads >= 1, "threads must be at least 1")
    precondition(budgetSeconds >= 0 && budgetSeconds.isFinite, "budgetSeconds must be finite and >= 0")
    let elements = elementsPerArray ?? defaultElementsPerArray()
    precondition(elements >= 1, "elementsPerArray must be at least 1")
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .seconds(budgetSeconds)

    let peak = PeakProbe.measure(budgetSeconds: 0.3 * budgetSeconds)
    let arrays = TriadArrays(elements: elements, threads: threads)
    let bandwidthShare = max(0, (deadline - clock.now).seconds) / 2
    let one = arrays.measure(threads: 1, budgetSeconds: bandwidthShare)
    let all = arrays.measure(threads: threads, budgetSeconds: bandwidthShare)
    arrays.verify()

    return MachineLimits(
      peakGFLOPSPerCore: peak, vectorBytes: Int(ml_vector_bytes()), fma: ml_fused_multiply_add() != 0,
      bandwidthGBps1Thread: one, bandwidthGBpsAllThreads: all, threads: threads,
      bytesPerArray: elements * MemoryLayout<Double>.stride, seconds: (clock.now - start).seconds)
  }

  /// Doubles per triad array when the caller doesn't say: each array 4× the
  /// last-level cache (read from Linux's /sys), at least 128 MiB (16 Mi
  /// doubles) and at most 512 MiB. Three arrays then total at least 12× the
  /// cache, so no pass can be served from it, while a run allocates only
  /// 384 MiB on a typical 32 MiB-L3 machine (3 × 64 MiB would be too close
  /// to a big L3; 3 × 256 MiB would double the first-touch time for nothing).
  public static func defaultElementsPerArray() -> Int {
    let bytes = min(max(4 * (lastLevelCacheBytes() ?? 0), 128 << 20), 512 << 20)
    return bytes / MemoryLayout<Double>.stride
  }
}

// MARK: - Relating a benchmark to the limits

extension MachineLimits {
  /// `gflops` as a percentage of the compute peak of `threads` cores, taking
  /// the peak to scale linearly with cores (true without SMT siblings and
  /// ignoring all-core frequency drops, so it errs towards a higher limit).
  public func percentOfPeakCompute(gflops: Double, threads: Int) -> Double {
    precondition(threads >= 1, "threads must be at least 1")
    return 100 * gflops / (peakGFLOPSPerCore * Double(threads))
  }

  /// `gbps` (counted the same way: bytes the algorithm must move) as a
  /// percentage of the bandwidth `threads` threads can draw: one thread's
  /// measured figure times `threads`, but never more than the all-threads one.
  public func percentOfBandwidth(gbps: Double, threads: Int) -> Double {
    precondition(threads >= 1, "threads must be at least 1")
    let limit = min(bandwidthGBps1Thread * Double(threads), max(bandwidthGBpsAllThreads, bandwidthGBps1Thread))
    return 100 * gbps / limit
  }
}

// MARK: - Support

/// The largest cache of CPU 0 at the highest level Linux reports, in bytes;
/// `nil` where /sys is unavailable (macOS) or unreadable.
func lastLevelCacheBytes() -> Int? {
  let root = "/sys/devices/system/cpu/cpu0/cache"
  guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
  var best: (level: Int, bytes: Int)?
  for entry in entries where entry.hasPrefix("index") {
    func read(_ name: String) -> String? {
      (try? String(contentsOfFile: "\(root)/\(entry)/\(name)", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let level = read("level").flatMap(Int.init), let size = read("size").flatMap(parseCacheSize)
    else { continue }
    if best == nil || (level, size) > (best!.level, best!.bytes) { best = (level, size) }
  }
  return best?.bytes
}

/// "32768K", "2M", "512" → bytes.
func parseCacheSize(_ text: String) -> Int? {
  let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
  if let last = text.last, let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
  return Int(text)
}

extension Duration {
  /// This duration in seconds, as a `Double`.
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}
