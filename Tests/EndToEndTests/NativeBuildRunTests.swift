// The native build in a run: a failed build skips its cells, and a tiny run
// builds, measures and verifies it (with the built `benchmark` as the debug worker).

import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Orchestration
@testable import ProcessKit
@testable import Workers

@Suite("Native build: runs", .serialized)
struct NativeBuildRunTests {
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
