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

  // Fields added with issue 24: absent (nil) in files written before them.

  /// The C probe's own best (`ml_multiply_add`), GFLOP/s a core.
  public var cPeakGFLOPSPerCore: Double? = nil
  /// Swift's best at the same loop (`SIMD8<Double>`, 16 chains), GFLOP/s a
  /// core; `peakGFLOPSPerCore` is the higher of the two.
  public var swiftPeakGFLOPSPerCore: Double? = nil
  /// The register width, in bits, of the fused multiply-adds in the compiled
  /// C probe and Swift probe, read back from their machine code
  /// (`ml_fma_register_bits`): 512 means zmm, 256 ymm; 0 when the build has no
  /// fused multiply-add (baseline x86-64: SSE2, 128-bit, by definition) or the
  /// machine is not x86-64. This, not the compiler's flags or the CPU's flags,
  /// is the width the code runs at.
  public var cRegisterBits: Int? = nil
  public var swiftRegisterBits: Int? = nil
  /// Double-precision divides a core completes a second, in billions (lanes
  /// of the build's widest vector, independent chains).
  public var divideGPerCore: Double? = nil
  /// Double-precision square roots a core completes a second, in billions.
  public var squareRootGPerCore: Double? = nil
  /// nbody's pair: a square root and a divide by it, in billions a second a
  /// core. Where both share one unit (most x86 cores) it is about
  /// 1 / (1/divide + 1/square root); measured, not assumed.
  public var divideSquareRootGPerCore: Double? = nil
  /// Triad bandwidth at each level of the memory hierarchy, innermost first
  /// (L1, L2, last-level cache, memory), same 24-byte convention.
  public var levels: [BandwidthLevel]? = nil
  /// Set when the memory probe's arrays were made smaller than the default
  /// because the process may not allocate more (RLIMIT_AS / RLIMIT_DATA):
  /// says how small, and that the figure may then include cache.
  public var memoryNote: String? = nil

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

/// Triad bandwidth over arrays that fit one level of the memory hierarchy.
public struct BandwidthLevel: Codable, Equatable, Sendable {
  /// `L1`, `L2`, `LLC` (the last-level cache) or `memory`.
  public var name: String
  /// Bytes the three arrays take on each thread (one thread's footprint).
  public var bytesPerThread: Int
  /// GB/s on one thread.
  public var oneThread: Double
  /// GB/s on all `MachineLimits.threads` threads, each with its own arrays
  /// (the shared last-level cache's footprint is divided between them).
  public var allThreads: Double

  public init(name: String, bytesPerThread: Int, oneThread: Double, allThreads: Double) {
    self.name = name
    self.bytesPerThread = bytesPerThread
    self.oneThread = oneThread
    self.allThreads = allThreads
  }
}

// MARK: - Measuring

extension MachineLimits {
  /// Measures this machine's limits.
  ///
  /// About 20% of the budget goes to the multiply-add probes (C and Swift),
  /// 12% to divide, square root and the two together, 18% to the cache
  /// levels (one thread and all); the rest, after allocating and
  /// first-touching the triad's arrays (a page fault for every page, taken
  /// out of the budget before the split), is split evenly between the
  /// one-thread and all-threads memory triad. Every probe runs at least twice, so a tiny budget is
  /// exceeded rather than giving a single cold measurement. The memory arrays
  /// shrink to a quarter of what the process may allocate (`ulimit -v`,
  /// `ulimit -d`), and `memoryNote` then says so.
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
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .seconds(budgetSeconds)

    // Compute: each probe's share of the budget, at least two runs each.
    let cPeak = PeakProbe.measure(budgetSeconds: 0.12 * budgetSeconds)
    let swiftPeak = SwiftPeakProbe.measure(budgetSeconds: 0.08 * budgetSeconds)
    let divide = PeakProbe.measureRate(budgetSeconds: 0.04 * budgetSeconds) { ml_divide($0, 2) }
    let root = PeakProbe.measureRate(budgetSeconds: 0.04 * budgetSeconds) { ml_square_root($0) }
    let pair = PeakProbe.measureRate(budgetSeconds: 0.04 * budgetSeconds) { ml_divide_square_root($0, 2) }

    // Caches: arrays filling half of each level, so the level holds them.
    var levels: [BandwidthLevel] = []
    let caches = cacheSizes()
    for (name, bytes, shared) in [
      ("L1", caches.l1, false), ("L2", caches.l2, false), ("LLC", caches.llc, true),
    ] {
      guard let bytes else { continue }
      let share = 0.03 * budgetSeconds
      let one = CacheTriad.measure(bytesPerThread: bytes / 2, threads: 1, budgetSeconds: share)
      let perThread = shared ? bytes / 2 / threads : bytes / 2
      let all = CacheTriad.measure(bytesPerThread: perThread, threads: threads, budgetSeconds: share)
      levels.append(BandwidthLevel(name: name, bytesPerThread: bytes / 2, oneThread: one, allThreads: all))
    }

    // Memory: as large as the default asks, or as the process may allocate.
    let wanted = elementsPerArray ?? defaultElementsPerArray()
    let elements = elementsPerArray ?? memoryElements(wanted: wanted, allowedBytes: allowedBytes())
    var memoryNote: String?
    if elements < wanted {
      let llc = caches.llc.map { " (the last-level cache is \($0 >> 20) MiB, so part of it may be cache)" } ?? ""
      memoryNote = "memory bandwidth measured over 3 × \((elements * 8) >> 20) MiB arrays, not \((wanted * 8) >> 20) MiB: the process may allocate only \(allowedBytes().map { "\($0 >> 20) MiB" } ?? "less")\(llc)"
    }
    precondition(elements >= 1, "elementsPerArray must be at least 1")
    let arrays = TriadArrays(elements: elements, threads: threads)
    let bandwidthShare = max(0, (deadline - clock.now).seconds) / 2
    let one = arrays.measure(threads: 1, budgetSeconds: bandwidthShare)
    let all = arrays.measure(threads: threads, budgetSeconds: bandwidthShare)
    arrays.verify()
    levels.append(BandwidthLevel(name: "memory", bytesPerThread: 3 * elements * 8, oneThread: one, allThreads: all))

    var limits = MachineLimits(
      peakGFLOPSPerCore: max(cPeak, swiftPeak), vectorBytes: Int(ml_vector_bytes()),
      fma: ml_fused_multiply_add() != 0, bandwidthGBps1Thread: one, bandwidthGBpsAllThreads: all, threads: threads,
      bytesPerArray: elements * MemoryLayout<Double>.stride, seconds: 0)
    limits.cPeakGFLOPSPerCore = cPeak
    limits.swiftPeakGFLOPSPerCore = swiftPeak
    limits.cRegisterBits = Int(ml_fma_register_bits(ml_multiply_add_code(), 2048))
    limits.swiftRegisterBits = SwiftPeakProbe.registerBits()
    let perRound = Double(ml_multiply_add_chains()) * Double(ml_lanes())
    limits.divideGPerCore = divide * perRound
    limits.squareRootGPerCore = root * perRound
    limits.divideSquareRootGPerCore = pair * perRound
    limits.levels = levels
    limits.memoryNote = memoryNote
    limits.seconds = (clock.now - start).seconds
    return limits
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
    return 100 * gbps / bandwidth(of: memoryLevel, threads: threads)
  }

  /// GB/s `threads` threads can draw at `level`: one thread's figure times
  /// `threads`, but never more than the all-threads one.
  public func bandwidth(of level: BandwidthLevel, threads: Int) -> Double {
    threads == 1 ? level.oneThread : min(level.oneThread * Double(threads), max(level.allThreads, level.oneThread))
  }

  /// The memory level, from the memory fields (which `RunResults.limits(for:)`
  /// sets to the best any build measured).
  public var memoryLevel: BandwidthLevel {
    BandwidthLevel(
      name: "memory", bytesPerThread: 3 * bytesPerArray, oneThread: bandwidthGBps1Thread,
      allThreads: bandwidthGBpsAllThreads)
  }
}

// MARK: - Support

/// What the process may allocate in all, in bytes: the smaller of RLIMIT_AS
/// and RLIMIT_DATA, or nil when neither is set.
func allowedBytes() -> Int? {
  #if os(Linux)
    var smallest: Int?
    for resource in [RLIMIT_AS, RLIMIT_DATA] {
      var limit = rlimit()
      // RLIM_INFINITY is all ones, which Swift cannot import as a constant.
      guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max
      else { continue }
      let bytes = Int(clamping: limit.rlim_cur)
      smallest = min(smallest ?? bytes, bytes)
    }
    return smallest
  #else
    var limit = rlimit()
    guard getrlimit(RLIMIT_DATA, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
    return Int(clamping: limit.rlim_cur)
  #endif
}

/// Doubles per memory-triad array: `wanted`, or fewer when the three arrays
/// would take more than a quarter of `allowedBytes` (what the process may
/// allocate; the rest is the runtime, its threads' stacks and the kernels'
/// own data), but never fewer than 1 Ki.
func memoryElements(wanted: Int, allowedBytes: Int?) -> Int {
  guard let allowedBytes else { return wanted }
  return min(wanted, max(1 << 10, allowedBytes / 4 / 3 / MemoryLayout<Double>.stride))
}

/// CPU 0's data and unified caches from Linux's /sys: the largest at each
/// level, in bytes (empty where /sys is unavailable, as on macOS, or unreadable).
func cacheLevels() -> [Int: Int] {
  let root = "/sys/devices/system/cpu/cpu0/cache"
  guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [:] }
  var byLevel: [Int: Int] = [:]
  for entry in entries where entry.hasPrefix("index") {
    func read(_ name: String) -> String? {
      (try? String(contentsOfFile: "\(root)/\(entry)/\(name)", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard read("type") != "Instruction", let level = read("level").flatMap(Int.init),
      let size = read("size").flatMap(parseCacheSize)
    else { continue }
    byLevel[level] = max(byLevel[level] ?? 0, size)
  }
  return byLevel
}

/// CPU 0's level-1 data, level-2 and last-level cache sizes in bytes (nil for
/// a level Linux does not report, or elsewhere). The last level is reported
/// only when it is above level 2.
func cacheSizes() -> (l1: Int?, l2: Int?, llc: Int?) {
  let byLevel = cacheLevels()
  let top = byLevel.keys.max()
  return (byLevel[1], byLevel[2], top.flatMap { $0 > 2 ? byLevel[$0] : nil })
}

/// The largest cache of CPU 0 at the highest level Linux reports, in bytes;
/// `nil` where /sys is unavailable (macOS) or unreadable.
func lastLevelCacheBytes() -> Int? {
  let byLevel = cacheLevels()
  return byLevel.keys.max().flatMap { byLevel[$0] }
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
