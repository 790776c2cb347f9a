import Foundation
import KernelKit
import Kernels
import MachineLimits
import TestSupport
import Testing
@testable import Interpreters
@testable import MeasurementKit
@testable import Reports

/// Issue 24: each kernel's ceiling, the self-check that catches a ceiling
/// below what a cell reaches, and matmul's tuned-library (BLAS) rung.
@Suite("Ceilings and the tuned library", .serialized)
struct CeilingTests {
  // MARK: - Ceilings and the self-check

  static var limits: MachineLimits {
    var limits = Fixtures.NativeBuild.limits
    limits.divideGPerCore = 1
    limits.squareRootGPerCore = 0.8
    limits.divideSquareRootGPerCore = 0.5
    limits.levels = [
      BandwidthLevel(name: "L1", bytesPerThread: 16 << 10, oneThread: 200, allThreads: 400),
      BandwidthLevel(name: "L2", bytesPerThread: 512 << 10, oneThread: 100, allThreads: 200),
      BandwidthLevel(name: "LLC", bytesPerThread: 16 << 20, oneThread: 50, allThreads: 80),
      BandwidthLevel(name: "memory", bytesPerThread: 3 << 27, oneThread: 20, allThreads: 30),
    ]
    return limits
  }

  /// nbody counts pairs against one divide and one square root a pair,
  /// spectral-norm matrix entries against one divide; triad's bandwidth is
  /// the level its arrays fit; kernels without a ceiling say why.
  @Test func eachKernelIsReadAgainstItsOwnCeiling() throws {
    let n = 100
    let pairs = Double(100 * n * (n - 1))  // 100 steps
    var results = Fixtures.NativeBuild.results(
      [
        Fixtures.NativeBuild.cell("nbody", .c, .release, size: n, median: pairs / 0.25e9),  // 0.25 G pairs/s
        Fixtures.NativeBuild.cell("triad", .c, .release, size: 4096, median: 1e-5),  // 96 KiB: L2
        Fixtures.NativeBuild.cell("nqueens", .c, .release, size: 8, median: 0.002),
      ], limits: Self.limits)
    results.attachRates(catalogue: catalogue)
    let nbody = try #require(results.cells[0].rate)
    #expect(nbody.unit == "M pairs/s" && abs(nbody.value - 250) < 1e-6)
    #expect(nbody.ceiling == "divide + square root" && abs(nbody.percentOfLimit! - 50) < 1e-9)
    let triad = try #require(results.cells[1].rate)
    #expect(triad.ceiling == "bandwidth (L2)" && triad.limitValue == 100, "\(triad)")
    let nqueens = try #require(results.cells[2].rate)
    #expect(nqueens.percentOfLimit == nil && nqueens.ceiling?.hasPrefix("none: ") == true)
    #expect(results.ceilingViolations(catalogue: catalogue).isEmpty)
    for kernel in catalogue where !kernel.isIOBound {
      if case .none(let why) = kernel.ceiling { #expect(why != "no ceiling declared", "\(kernel.name)") }
    }
  }

  /// A cell faster than its ceiling by more than the noise says the ceiling
  /// is wrong, in the report; one within the noise, or below, says nothing.
  @Test func theSelfCheckFiresOnlyAboveTheCeiling() {
    let flops = 2e6  // matmul at n = 100
    func run(gflops: Double) -> RunResults {
      var results = Fixtures.NativeBuild.results(
        [Fixtures.NativeBuild.cell("matmul", .c, .release, size: 100, median: flops / (gflops * 1e9))],
        limits: Self.limits)
      results.attachRates(catalogue: catalogue)
      return results
    }
    #expect(run(gflops: 9).ceilingViolations(catalogue: catalogue).isEmpty)  // 90% of the 10 GFLOP/s peak
    #expect(run(gflops: 10.3).ceilingViolations(catalogue: catalogue).isEmpty)  // 103%: within the noise
    let wrong = run(gflops: 15)  // 150%
    #expect(wrong.ceilingViolations(catalogue: catalogue).count == 1)
    #expect(wrong.ceilingViolations(catalogue: catalogue).first?.contains("ceiling wrong: matmul/release/c/1") == true)
    #expect(TextTable(wrong).text.contains("ceiling wrong: matmul/release/c/1"))
    #expect(!TextTable(run(gflops: 9)).text.contains("ceiling wrong"))
  }

  // MARK: - The BLAS rung

  /// The loader finds OpenBLAS's ILP64 names as NumPy bundles them.
  @Test func prefixedILP64NamesAreFound() {
    #expect(BLASLibrary.variants.map { "\($0.prefix)cblas_dgemm\($0.suffix)" }.contains("scipy_cblas_dgemm64_"))
  }
}
