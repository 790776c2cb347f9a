import Testing
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
