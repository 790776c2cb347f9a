import Foundation
import KernelKit
import Kernels
import MachineLimits
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Reports
@testable import Orchestration
@testable import Workers

/// The native build, the machine's limits and each cell's rate against them.
@Suite("Native build and roofline", .serialized)
struct NativeBuildTests {
  /// Rates are the kernel's declared work over the median; shares are of the
  /// build's limit for the cell's thread count (debug reads release's).
  @Test func ratesComeFromDeclaredWorkAndTheMedian() throws {
    let matmul = try #require(kernel(named: "matmul"))
    let triad = try #require(kernel(named: "triad"))
    let nqueens = try #require(kernel(named: "nqueens"))
    var results = Fixtures.NativeBuild.results([
      Fixtures.NativeBuild.cell("matmul", .c, .release, size: 100, median: 0.001),
      Fixtures.NativeBuild.cell("matmul", .c, .release, threads: 2, size: 100, median: 0.0005),
      Fixtures.NativeBuild.cell("matmul", .idiomatic, .debug, size: 100, median: 0.1),
      Fixtures.NativeBuild.cell("triad", .c, .release, size: 4096, median: 1e-5),
      Fixtures.NativeBuild.cell("triad", .c, .release, threads: 2, size: 4096, median: 1e-5),
      Fixtures.NativeBuild.cell("nqueens", .c, .release, size: 8, median: 0.002),
    ])
    results.attachRates(catalogue: catalogue)
    func rate(_ kernel: String, _ flavour: Flavour, _ build: Build, _ threads: Int = 1) throws -> CellRate {
      try #require(results.cell(CellID(kernel: kernel, flavour: flavour, build: build, threads: threads))?.rate)
    }
    let flops = matmul.work(size: 100).amount  // 2n³ = 2e6
    #expect(flops == 2e6)
    let one = try rate("matmul", .c, .release)
    #expect(one.unit == "GFLOP/s" && abs(one.value - flops / 0.001 / 1e9) < 1e-12)
    #expect(abs(one.percentOfLimit! - 20) < 1e-9)  // 2 GFLOP/s of 10
    let two = try rate("matmul", .c, .release, 2)
    #expect(abs(two.percentOfLimit! - 20) < 1e-9)  // 4 GFLOP/s of 2 × 10
    #expect(two.limit == "peak multiply-add, 16-byte vectors, 2 cores")
    let debug = try rate("matmul", .idiomatic, .debug)
    #expect(abs(debug.percentOfLimit! - 0.2) < 1e-9)  // read against release's limits

    let bytes = triad.work(size: 4096).amount
    let stream = try rate("triad", .c, .release)
    #expect(stream.unit == "GB/s" && abs(stream.value - bytes / 1e-5 / 1e9) < 1e-9)
    #expect(abs(stream.percentOfLimit! - 100 * stream.value / 20) < 1e-9)
    let streamAll = try rate("triad", .c, .release, 2)
    #expect(abs(streamAll.percentOfLimit! - 100 * streamAll.value / 30) < 1e-9)  // capped by the all-threads figure

    let counted = try rate("nqueens", .c, .release)
    #expect(counted.unit == "M/s" && counted.percentOfLimit == nil)
    #expect(abs(counted.value - nqueens.work(size: 8).amount / 0.002 / 1e6) < 1e-9)

    // Without limits there is a rate but no share.
    var bare = Fixtures.NativeBuild.results([Fixtures.NativeBuild.cell("matmul", .c, .release, size: 100, median: 0.001)], limits: nil)
    bare.attachRates(catalogue: catalogue)
    #expect(bare.cells[0].rate?.value == one.value && bare.cells[0].rate?.percentOfLimit == nil)

    // Every format carries them.
    #expect(TextTable(results).text.contains("2.00 GFLOP/s") && TextTable(results).text.contains("20%"))
    #expect(CSVReport(results).text.split(separator: "\n")[0].hasSuffix(",rate,rate_unit,percent_of_limit,instructions,instructions_spread"))
    let svg = RooflineChart(ChartData(results)).svg
    #expect(svg.contains("data-cell=\"matmul/release/c/1\"") && svg.contains("data-percent=\"20"))
  }

  /// Bandwidth is the machine's: the best figure any build measured; the
  /// compute peak stays the build's own instruction set's.
  @Test func bandwidthIsTheBestAnyBuildMeasured() {
    var results = Fixtures.NativeBuild.results([])
    var native = BuildInfo.current
    native.build = .native
    native.limits = Fixtures.NativeBuild.limits
    native.limits!.peakGFLOPSPerCore = 40
    native.limits!.bandwidthGBpsAllThreads = 45
    results.provenance.builds.append(native)
    #expect(results.limits(for: .release)?.bandwidthGBpsAllThreads == 45)
    #expect(results.limits(for: .release)?.peakGFLOPSPerCore == 10)
    #expect(results.limits(for: .native)?.peakGFLOPSPerCore == 40)
    #expect(results.limits(for: .debug)?.peakGFLOPSPerCore == 10)
  }

  @Test func newFieldsRoundTripThroughJSON() throws {
    var results = Fixtures.NativeBuild.results([Fixtures.NativeBuild.cell("matmul", .vector, .native, size: 100, median: 0.001)])
    var native = BuildInfo.current
    native.build = .native
    native.cTargetFeatures = "sse2 avx avx2 fma"
    native.buildSeconds = 71.5
    native.limits = Fixtures.NativeBuild.limits
    results.provenance.builds.append(native)
    results.attachRates(catalogue: catalogue)
    #expect(results.cells[0].work != nil && results.cells[0].rate != nil)
    let decoded = try RunResults.decode(try results.json())
    #expect(decoded == results)
    // A file from before these fields still reads.
    var old = try JSONSerialization.jsonObject(with: try results.json()) as! [String: Any]
    var provenance = old["provenance"] as! [String: Any]
    provenance["cpuVectorFeatures"] = nil
    provenance["builds"] = (provenance["builds"] as! [[String: Any]]).map {
      $0.filter { !["limits", "cTargetFeatures", "buildSeconds"].contains($0.key) }
    }
    old["provenance"] = provenance
    old["cells"] = (old["cells"] as! [[String: Any]]).map { $0.filter { !["work", "rate"].contains($0.key) } }
    let legacy = try RunResults.decode(try JSONSerialization.data(withJSONObject: old))
    #expect(legacy.cells[0].rate == nil && legacy.provenance.builds[1].limits == nil)
  }

  @Test func buildNamesFlagsAndScratch() {
    #expect(Build.allCases.map(\.rawValue) == ["debug", "release", "native"])
    #expect(Build.native.buildArguments.contains("-march=native"))
    #expect(Build.native.buildArguments.contains("native") && Build.native.swiftFlags.contains("-target-cpu native"))
    #expect(Build.release.buildArguments == ["-c", "release"])
    let location = PackageLocation(
      executable: URL(fileURLWithPath: "/p/.build/x86_64-unknown-linux-gnu/debug/benchmark"),
      root: URL(fileURLWithPath: "/p"), scratch: URL(fileURLWithPath: "/p/.build"))
    #expect(location.scratchPath(for: .release)?.path == "/p/.build")
    #expect(location.scratchPath(for: .native)?.path == "/p/.build-native")
  }

  @Test func buildOutputIsReadLineByLine() {
    #expect(BuildStep("[12/180] Compiling Kernels Mandelbrot.swift")?.target == "Kernels")
    #expect(BuildStep("[3/50] Write sources") != nil && BuildStep("[3/50] Write sources")?.target == nil)
    #expect(BuildStep("Building for production...") == nil)
    let log = """
      [1/3] Compiling CKernels support.c
      /p/CSources/CKernels/support.c:1:10: error: unknown target CPU 'nosuchcpu'
      error: fatalError
      """
    #expect(firstError(in: log) == "error: unknown target CPU 'nosuchcpu'")
    #expect(firstError(in: "all fine") == nil)
  }
}
