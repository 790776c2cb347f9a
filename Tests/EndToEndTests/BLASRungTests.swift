// Issue 24: matmul's tuned-library (BLAS) rung, measured by the built
// `benchmark-worker` on libraries compiled here.

import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import Interpreters
@testable import MeasurementKit
@testable import ProcessKit

@Suite("The tuned library", .serialized)
struct BLASRungTests {
  /// matmul's exact answer at `n` as the Swift cells report it.
  static func swiftCells(n: Int) throws -> [CellResult] {
    let matmul = try #require(kernel(named: "matmul"))
    let workload = matmul.makeWorkload(.c, size: n)
    workload.run(on: SequentialExecutor())
    var cell = Fixtures.NativeBuild.cell("matmul", .c, .release, size: n, median: 0.001)
    cell.result = workload.result()
    return [cell]
  }

  /// The C compiler the library tests build with, or nil: the tests that need
  /// one take it as a condition trait, so a missing compiler is a recorded skip.
  static let compiler = ["clang", "cc", "gcc"].first { commandOutput("/usr/bin/env", ["which", $0]) != nil }

  /// A shared library built from `source` with the C compiler.
  static func library(_ source: String, name: String) throws -> String {
    let compiler = try #require(Self.compiler, "no C compiler")
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
  @Test(.enabled(if: Self.compiler != nil, "no C compiler (clang, cc or gcc) to build a library with"))
  func aNaiveLibraryIsAVerifiedRung() throws {
    let path = try Self.library(Self.naive(wrong: false), name: "naiveblas")
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
  @Test(.enabled(if: Self.compiler != nil, "no C compiler (clang, cc or gcc) to build a library with"))
  func aWrongLibraryFailsItsRungOnly() throws {
    let path = try Self.library(Self.naive(wrong: true), name: "wrongblas")
    let swift = try Self.swiftCells(n: 16)
    let cells = Self.rung(path, n: 16).run(verifyingAgainst: swift)
    #expect(cells.count == 2 && cells.allSatisfy { $0.verification.status == .mismatch })
    #expect(cells[0].verification.detail.contains("differs from the Swift cells"))
    #expect(swift[0].verification.passed)
  }

  /// A library that crashes (here: dgemm dereferences null) costs its rung,
  /// reported as crashed with the signal, not the run.
  @Test(.enabled(if: Self.compiler != nil, "no C compiler (clang, cc or gcc) to build a library with"))
  func aCrashingLibraryCostsOnlyItsRung() throws {
    let source = "void cblas_dgemm(void) { volatile int *p = 0; *p = 1; }\n"
    let path = try Self.library(source, name: "crashblas")
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
}
