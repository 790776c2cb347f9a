import Testing
import CMachineLimits
@testable import MachineLimits

@Suite("machine limits")
struct MachineLimitsTests {
  /// A tiny budget and small arrays still give positive, finite rates and a
  /// self-consistent description of the build.
  @Test func ratesArePositiveAndFinite() {
    let limits = MachineLimits.measure(threads: 2, budgetSeconds: 0.02, elementsPerArray: 1 << 16)
    for rate in [limits.peakGFLOPSPerCore, limits.bandwidthGBps1Thread, limits.bandwidthGBpsAllThreads] {
      #expect(rate.isFinite && rate > 0, "\(limits)")
    }
    #expect([16, 32, 64].contains(limits.vectorBytes))
    #expect(limits.threads == 2)
    #expect(limits.bytesPerArray == 8 << 16)
    #expect(limits.seconds > 0)
  }

  /// The ceilings of issue 24 are all measured: each is positive and finite,
  /// the bandwidth levels run from L1 out to memory, and the register width
  /// read back from the compiled probe is one a vector unit has. How the rates
  /// compare with each other is a timing, not a behaviour: this test, built at
  /// `-O0` on a loaded 2-core CI runner, once measured divides faster than half
  /// the multiply-add "peak". A run judges its ceilings against optimised code
  /// instead: a cell that beats its ceiling names the probe as wrong
  /// (`RunResults.ceilingViolations`).
  @Test func ceilingsAreMeasured() throws {
    let limits = MachineLimits.measure(threads: 2, budgetSeconds: 0.2, elementsPerArray: 1 << 22)
    let divide = try #require(limits.divideGPerCore)
    let root = try #require(limits.squareRootGPerCore)
    let pair = try #require(limits.divideSquareRootGPerCore)
    let cPeak = try #require(limits.cPeakGFLOPSPerCore)
    for rate in [divide, root, pair, cPeak, limits.swiftPeakGFLOPSPerCore ?? 0] {
      #expect(rate.isFinite && rate > 0, "\(limits)")
    }
    let levels = try #require(limits.levels)
    #expect(levels.last?.name == "memory")
    for level in levels {
      #expect(level.oneThread.isFinite && level.oneThread > 0 && level.allThreads.isFinite && level.allThreads > 0)
    }
    // The levels this machine reports, innermost first (a level whose size
    // the OS does not say is left out).
    let order = ["L1", "L2", "LLC", "memory"]
    let ranks = levels.map { order.firstIndex(of: $0.name) ?? -1 }
    #expect(!ranks.contains(-1) && ranks == ranks.sorted() && Set(ranks).count == ranks.count, "\(levels)")
    #expect([0, 128, 256, 512].contains(limits.cRegisterBits ?? -1))
  }

  /// Under `ulimit -v 1048576` the memory arrays shrink to a quarter of it
  /// (3 × 85 MiB) instead of failing to allocate; without a limit they are
  /// what was asked for.
  @Test func memoryArraysFitWhatTheProcessMayAllocate() {
    let wanted = (128 << 20) / 8
    #expect(memoryElements(wanted: wanted, allowedBytes: nil) == wanted)
    #expect(memoryElements(wanted: wanted, allowedBytes: 1 << 40) == wanted)
    let shrunk = memoryElements(wanted: wanted, allowedBytes: 1 << 30)
    #expect(3 * shrunk * 8 <= (1 << 30) / 4 && shrunk > wanted / 2)
    #expect(memoryElements(wanted: wanted, allowedBytes: 1 << 12) == 1 << 10)
  }

  /// The register-width decoder reads the FMA encodings it was written for
  /// and nothing else: vfmadd231pd zmm (EVEX), ymm and xmm (VEX3), and bytes
  /// that are no FMA.
  @Test func registerWidthDecoder() {
    #if arch(x86_64)
      let zmm: [UInt8] = [0x62, 0xF2, 0xFD, 0x48, 0xB8, 0xC1]  // vfmadd231pd zmm0, zmm0, zmm1
      let ymm: [UInt8] = [0xC4, 0xE2, 0xF5, 0xB8, 0xC2]  // vfmadd231pd ymm0, ymm1, ymm2
      let xmm: [UInt8] = [0xC4, 0xE2, 0xF1, 0xB8, 0xC2]  // vfmadd231pd xmm0, xmm1, xmm2
      let ps: [UInt8] = [0xC4, 0xE2, 0x75, 0xB8, 0xC2]  // vfmadd231ps ymm0 (single precision)
      let nops = [UInt8](repeating: 0x90, count: 16)
      for (code, bits) in [(zmm, 512), (ymm, 256), (xmm, 128), (ps, 0), (nops, 0)] {
        let padded = code + [0x90, 0x90, 0x90]
        #expect(padded.withUnsafeBytes { Int(ml_fma_register_bits($0.baseAddress, $0.count)) } == bits, "\(code)")
      }
    #endif
  }

  /// Every element the triad wrote holds b[i] + s·c[i], on one thread and on
  /// uneven slices of several.
  @Test(arguments: [1, 2, 3, 7])
  func triadComputesTheRightValues(threads: Int) {
    let n = 1_001
    let arrays = TriadArrays(elements: n, threads: threads)
    #expect(arrays.value(at: 5) == 0)
    _ = arrays.run(threads: threads)
    for i in [0, 1, 7, 8, 500, arrays.slice(threads - 1, of: threads).lowerBound, n - 1] {
      #expect(arrays.value(at: i) == TriadArrays.expected(i), "a[\(i)]")
    }
    #expect((0..<n).allSatisfy { arrays.value(at: $0) == TriadArrays.expected($0) })
    arrays.verify()
  }

  /// Slices cover the array exactly, in order, starting on 64-byte boundaries.
  @Test(arguments: [1, 2, 3, 16])
  func slicesPartitionTheArray(threads: Int) {
    let arrays = TriadArrays(elements: 1_003, threads: 1)
    var next = 0
    for t in 0..<threads {
      let range = arrays.slice(t, of: threads)
      #expect(range.lowerBound == next && range.lowerBound % 8 == 0)
      next = range.upperBound
    }
    #expect(next == 1_003)
  }

  @Test func cacheSizesParse() {
    #expect(parseCacheSize("32768K") == 32 << 20)
    #expect(parseCacheSize("2M") == 2 << 20)
    #expect(parseCacheSize("512") == 512)
    #expect(parseCacheSize("lots") == nil)
  }

  @Test func defaultArraysDwarfTheCache() {
    let bytes = MachineLimits.defaultElementsPerArray() * 8
    #expect(bytes >= 128 << 20 && bytes <= 512 << 20)
    if let cache = lastLevelCacheBytes() { #expect(3 * bytes >= min(12 * cache, 3 * 512 << 20)) }
  }

  @Test func percentagesUseTheMatchingLimit() {
    let limits = MachineLimits(
      peakGFLOPSPerCore: 10, vectorBytes: 16, fma: false, bandwidthGBps1Thread: 20,
      bandwidthGBpsAllThreads: 30, threads: 2, bytesPerArray: 8, seconds: 1)
    #expect(limits.percentOfPeakCompute(gflops: 5, threads: 1) == 50)
    #expect(limits.percentOfPeakCompute(gflops: 5, threads: 2) == 25)
    #expect(limits.percentOfBandwidth(gbps: 10, threads: 1) == 50)
    #expect(limits.percentOfBandwidth(gbps: 15, threads: 2) == 50)
  }
}
