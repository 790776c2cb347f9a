import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

@Suite("Statistics")
struct StatisticsTests {
  /// Hand-computed: sorted 1 2 3 4 10; median 3; deviations 2 1 0 1 7 → MAD 1;
  /// mean 4; sample variance (9+4+1+0+36)/4 = 12.5; CV √12.5 / 4 ≈ 0.883883.
  @Test func oddCount() {
    let s = SampleStatistics([4, 1, 10, 3, 2])
    #expect(s.count == 5)
    #expect(s.median == 3)
    #expect(s.min == 1)
    #expect(s.max == 10)
    #expect(s.mean == 4)
    #expect(s.mad == 1)
    #expect(abs(s.cv - 12.5.squareRoot() / 4) < 1e-12)
    #expect(s.isNoisy)
  }

  /// Even count: median of 2 4 6 8 is 5; deviations 3 1 1 3 → MAD 2.
  @Test func evenCount() {
    let s = SampleStatistics([8, 2, 6, 4])
    #expect(s.median == 5)
    #expect(s.mad == 2)
  }

  @Test func singleSampleHasNoSpread() {
    let s = SampleStatistics([0.25])
    #expect(s.median == 0.25)
    #expect(s.mad == 0)
    #expect(s.cv == 0)
    #expect(!s.isNoisy)
  }

  /// CV of 100 101 99 100 is √(2/3)/100 ≈ 0.82%: quiet.
  @Test func quietSamplesAreNotNoisy() {
    let s = SampleStatistics([100, 101, 99, 100])
    #expect(abs(s.cv - (2.0 / 3).squareRoot() / 100) < 1e-12)
    #expect(!s.isNoisy)
  }

  @Test func geometricMeanOfRatios() {
    #expect(abs(geometricMean([2, 8]) - 4) < 1e-12)
    #expect(abs(geometricMean([10, 10, 10]) - 10) < 1e-12)
    #expect(geometricMean([]) == 1)
  }

  @Test func formatting() {
    #expect(formatSeconds(1.234) == "1.23 s")
    #expect(formatSeconds(0.0123) == "12.3 ms")
    #expect(formatSeconds(0.000456) == "456 µs")
    #expect(formatRatio(57.64) == "57.6×")
    #expect(formatRatio(1.016) == "1.02×")
    #expect(formatRatio(281.4) == "281×")
    #expect(formatPercent(0.042) == "4.2%")
  }
}
