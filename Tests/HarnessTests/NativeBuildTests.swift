import Foundation
import KernelKit
import Kernels
import MachineLimits
import Testing
@testable import MeasurementKit
@testable import Reports
@testable import Orchestration
@testable import Workers

/// The native build, the machine's limits and each cell's rate against them.
@Suite("Native build and roofline", .serialized)
struct NativeBuildTests {
  static let limits = MachineLimits(
    peakGFLOPSPerCore: 10, vectorBytes: 16, fma: false, bandwidthGBps1Thread: 20, bandwidthGBpsAllThreads: 30,
    threads: 2, bytesPerArray: 1 << 27, seconds: 1)

  static func cell(_ kernel: String, _ flavour: Flavour, _ build: Build, threads: Int = 1, size: Int, median: Double)
    -> CellResult
  {
    // Samples given, not timed: the "clock" of this test reads exactly `median`.
    CellResult(
      id: CellID(kernel: kernel, flavour: flavour, build: build, threads: threads), size: size, runsPerSample: 1,
      samples: [median, median, median], cpuSamples: [median, median, median],
      statistics: SampleStatistics([median, median, median]), setupSeconds: 0,
      result: KernelResult(text: "x", checksum: 1), verification: CellVerification(.agreement, "agree"), notes: [])
  }

  static func results(_ cells: [CellResult], limits: MachineLimits? = limits) -> RunResults {
    var release = BuildInfo.current
    release.build = .release
    release.limits = limits
    return RunResults(
      settings: RunSettings(size: "tiny", minTimeMilliseconds: 1, samples: 3, threads: [1, 2]),
      provenance: Provenance(
        cpu: "Test CPU", cpuVectorFeatures: ["sse2", "avx2"], cores: 2, memoryGiB: 4, os: "TestOS",
        swiftVersion: "6.3.1", builds: [release], gitCommit: nil, gitDirty: nil, date: "2026-01-01T00:00:00Z"),
      cells: cells)
  }

  /// Rates are the kernel's declared work over the median; shares are of the
  /// build's limit for the cell's thread count (debug reads release's).
  @Test func ratesComeFromDeclaredWorkAndTheMedian() throws {
    let matmul = try #require(kernel(named: "matmul"))
    let triad = try #require(kernel(named: "triad"))
    let nqueens = try #require(kernel(named: "nqueens"))
    var results = Self.results([
      Self.cell("matmul", .c, .release, size: 100, median: 0.001),
      Self.cell("matmul", .c, .release, threads: 2, size: 100, median: 0.0005),
      Self.cell("matmul", .idiomatic, .debug, size: 100, median: 0.1),
      Self.cell("triad", .c, .release, size: 4096, median: 1e-5),
      Self.cell("triad", .c, .release, threads: 2, size: 4096, median: 1e-5),
      Self.cell("nqueens", .c, .release, size: 8, median: 0.002),
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
    var bare = Self.results([Self.cell("matmul", .c, .release, size: 100, median: 0.001)], limits: nil)
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
    var results = Self.results([])
    var native = BuildInfo.current
    native.build = .native
    native.limits = Self.limits
    native.limits!.peakGFLOPSPerCore = 40
    native.limits!.bandwidthGBpsAllThreads = 45
    results.provenance.builds.append(native)
    #expect(results.limits(for: .release)?.bandwidthGBpsAllThreads == 45)
    #expect(results.limits(for: .release)?.peakGFLOPSPerCore == 10)
    #expect(results.limits(for: .native)?.peakGFLOPSPerCore == 40)
    #expect(results.limits(for: .debug)?.peakGFLOPSPerCore == 10)
  }

  @Test func newFieldsRoundTripThroughJSON() throws {
    var results = Self.results([Self.cell("matmul", .vector, .native, size: 100, median: 0.001)])
    var native = BuildInfo.current
    native.build = .native
    native.cTargetFeatures = "sse2 avx avx2 fma"
    native.buildSeconds = 71.5
    native.limits = Self.limits
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

  /// A native build that fails: its cells are skipped with the compiler's
  /// error, the other build is measured, and the run does not fail.
  @Test func failedNativeBuildSkipsItsCellsAndTheRunGoesOn() throws {
    var plan = RunPlan()
    plan.kernels = ["mandelbrot"]
    plan.flavours = [.c]
    plan.builds = [.debug, .native]
    plan.threads = [1]
    (plan.size, plan.samples, plan.minTimeMilliseconds) = (.tiny, 1, 1)
    let orchestrator = Orchestrator(options: plan, progress: ProgressLine(enabled: false)) { build, _ in
      guard build == .debug else {
        throw Orchestrator.BuildError(message: "swift build … failed: error: unknown target CPU 'nosuchcpu'")
      }
      return benchmarkBinary
    }
    let results = try orchestrator.run()
    let native = try #require(results.cell(CellID(kernel: "mandelbrot", flavour: .c, build: .native, threads: 1)))
    #expect(native.skipped && native.verification.detail.contains("unknown target CPU"))
    let debug = try #require(results.cell(CellID(kernel: "mandelbrot", flavour: .c, build: .debug, threads: 1)))
    #expect(debug.verification.passed)
    #expect(!results.anyFailed)
  }

  /// The real thing at tiny size: the native build compiled (into .build-native,
  /// on demand), its limits measured, its cells verified and given rates.
  @Test(.timeLimit(.minutes(20))) func tinyRunIncludesTheNativeBuild() throws {
    let outcome = try runBenchmark([
      "--builds", "debug,native", "--kernels", "mandelbrot,triad", "--flavours", "c,c-vector", "--threads", "1",
      "--size", "tiny", "--samples", "1", "--min-time", "1", "--format", "json",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    // Every build is made before anything is measured, and says how long it took.
    let log = outcome.standardError
    let built = try #require(log.range(of: "built native in "))
    let measuring = try #require(log.range(of: "[debug] verifying"))
    #expect(built.lowerBound < measuring.lowerBound, "\(log)")
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    let native = try #require(results.provenance.builds.first { $0.build == .native })
    #expect(native.buildSeconds ?? 0 > 0)
    #expect(native.swiftFlags.contains("-target-cpu native") && native.cOptimized)
    let limits = try #require(native.limits)
    #expect(limits.peakGFLOPSPerCore > 0 && limits.peakGFLOPSPerCore.isFinite)
    #expect(limits.bandwidthGBps1Thread > 0 && limits.bandwidthGBpsAllThreads.isFinite)
    #if arch(x86_64)
      // -march=native on any x86-64 CPU of the last decade turns on at least AVX.
      #expect(native.cTargetFeatures?.contains("avx") == true, "\(native.cTargetFeatures ?? "")")
    #endif
    #expect(results.cells.filter { $0.id.build == .native }.count == 4)
    for cell in results.cells {
      #expect(cell.verification.passed, "\(cell.id): \(cell.verification.detail)")
      #expect(cell.rate != nil, "\(cell.id) has no rate")
    }
  }
}
