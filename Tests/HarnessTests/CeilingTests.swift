import Foundation
import KernelKit
import Kernels
import MachineLimits
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
    var limits = NativeBuildTests.limits
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
    var results = NativeBuildTests.results(
      [
        NativeBuildTests.cell("nbody", .c, .release, size: n, median: pairs / 0.25e9),  // 0.25 G pairs/s
        NativeBuildTests.cell("triad", .c, .release, size: 4096, median: 1e-5),  // 96 KiB: L2
        NativeBuildTests.cell("nqueens", .c, .release, size: 8, median: 0.002),
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
      var results = NativeBuildTests.results(
        [NativeBuildTests.cell("matmul", .c, .release, size: 100, median: flops / (gflops * 1e9))],
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

  /// matmul's exact answer at `n` as the Swift cells report it.
  static func swiftCells(n: Int) throws -> [CellResult] {
    let matmul = try #require(kernel(named: "matmul"))
    let workload = matmul.makeWorkload(.c, size: n)
    workload.run(on: SequentialExecutor())
    var cell = NativeBuildTests.cell("matmul", .c, .release, size: n, median: 0.001)
    cell.result = workload.result()
    return [cell]
  }

  /// A shared library built from `source` with the C compiler, or nil (and
  /// a recorded reason) when there is none.
  static func library(_ source: String, name: String) throws -> String? {
    let compiler = ["clang", "cc", "gcc"].first { commandOutput("/usr/bin/env", ["which", $0]) != nil }
    guard let compiler else {
      Issue.record("no C compiler: the BLAS rung's library tests are skipped")
      return nil
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speedladder-blas-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let c = folder.appendingPathComponent("\(name).c")
    let so = folder.appendingPathComponent("lib\(name).so")
    try source.write(to: c, atomically: true, encoding: .utf8)
    let output = try runProcess(compiler, ["-O1", "-shared", "-fPIC", "-o", so.path, c.path])
    try #require(output.succeeded, "\(compiler) failed: \(output.standardError)")
    return so.path
  }

  /// A naive cblas_dgemm (row-major, no transposes, alpha and beta as given;
  /// beta = 0 ignores C's old contents, as BLAS specifies, so a NaN there is
  /// not read).
  static func naive(wrong: Bool) -> String {
    """
    void cblas_dgemm(int order, int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                     const double *b, int ldb, double beta, double *c, int ldc) {
      (void)order; (void)ta; (void)tb;
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
          double sum = 0;
          for (int p = 0; p < k; ++p) sum += a[i * lda + p] * b[p * ldb + j];
          c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])\(wrong ? " + (i == j)" : "");
        }
    }
    """
  }

  static func rung(_ request: String?, n: Int, candidates: [String]? = nil) -> BLASRung {
    var rung = BLASRung(
      request: request, size: n, binary: workerBinary, threads: [1, 2], samples: 2, minTimeMilliseconds: 1)
    rung.environment = [:]
    rung.candidates = candidates
    return rung
  }

  /// No library anywhere: one skipped cell whose reason says how to install one.
  @Test func noLibraryIsOneSkipLine() throws {
    let cells = Self.rung(nil, n: 20, candidates: []).run(verifyingAgainst: try Self.swiftCells(n: 20))
    #expect(cells.count == 1 && cells[0].skipped)
    #expect(cells[0].verification.detail.contains("apt-get install libopenblas0"))
    #expect(Self.rung("off", n: 20).run(verifyingAgainst: []).isEmpty)
  }

  /// A naive dgemm built here: both thread counts measured and verified
  /// against the Swift cells' exact answer.
  @Test func aNaiveLibraryIsAVerifiedRung() throws {
    guard let path = try Self.library(Self.naive(wrong: false), name: "naiveblas") else { return }
    let cells = Self.rung(path, n: 24).run(verifyingAgainst: try Self.swiftCells(n: 24))
    #expect(cells.count == 2)
    for cell in cells {
      #expect(cell.verification.passed, "\(cell.id): \(cell.verification.detail)")
      #expect(cell.median != nil && cell.samples.count == 2 && cell.interpreter == "libnaiveblas.so")
      #expect(cell.verification.detail.contains("agrees with the Swift cells"))
    }
    #expect(cells.map(\.id.rung) == ["blas·1", "blas·parallel·2"])
  }

  /// A library that returns a wrong C fails its rung loudly; the cells it
  /// was checked against are untouched.
  @Test func aWrongLibraryFailsItsRungOnly() throws {
    guard let path = try Self.library(Self.naive(wrong: true), name: "wrongblas") else { return }
    let swift = try Self.swiftCells(n: 16)
    let cells = Self.rung(path, n: 16).run(verifyingAgainst: swift)
    #expect(cells.count == 2 && cells.allSatisfy { $0.verification.status == .mismatch })
    #expect(cells[0].verification.detail.contains("differs from the Swift cells"))
    #expect(swift[0].verification.passed)
  }

  /// A library that crashes (here: dgemm dereferences null) costs its rung,
  /// reported as crashed with the signal, not the run.
  @Test func aCrashingLibraryCostsOnlyItsRung() throws {
    let source = "void cblas_dgemm(void) { volatile int *p = 0; *p = 1; }\n"
    guard let path = try Self.library(source, name: "crashblas") else { return }
    let cells = Self.rung(path, n: 8).run(verifyingAgainst: try Self.swiftCells(n: 8))
    #expect(cells.count == 2 && cells.allSatisfy { $0.verification.status == .crashed })
    // A sanitized worker's own SEGV handler reports the fault and exits
    // (ThreadSanitizer with status 66), so only an unsanitized one dies of the signal.
    if benchmarkSanitizer == nil {
      #expect(cells[0].verification.detail.contains("signal"), "\(cells[0].verification.detail)")
    } else {
      #expect(cells[0].verification.detail.contains("exited"), "\(cells[0].verification.detail)")
    }
  }

  /// `--blas` with a path that is not a loadable library: exit 2, one line.
  @Test func aBadBLASPathIsAUsageError() throws {
    let outcome = try runBenchmark(["--kernels", "matmul", "--blas", "/nonexistent/libnothing.so"])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.contains("--blas") && outcome.standardError.split(separator: "\n").count == 1)
    let named = try runBenchmark(["--kernels", "matmul"], environment: ["SPEEDLADDER_BLAS": "/nonexistent/libnothing.so"])
    #expect(named.status == 2 && named.standardError.contains("SPEEDLADDER_BLAS"))
  }

  /// The loader finds OpenBLAS's ILP64 names as NumPy bundles them.
  @Test func prefixedILP64NamesAreFound() {
    #expect(BLASLibrary.variants.map { "\($0.prefix)cblas_dgemm\($0.suffix)" }.contains("scipy_cblas_dgemm64_"))
  }
}
