// `benchmark-worker`, the product a run builds for its release and native
// builds: it measures as `benchmark worker` does and refuses what it does not take.

import Foundation
import KernelKit
import MeasurementKit
import Testing
@testable import Workers

@Suite("The worker binary")
struct WorkerBinaryTests {
  /// The cells a worker streams for `plan`, decoded from its JSON lines.
  func cells(from binary: URL, _ plan: RunPlan) throws -> (Outcome, [CellResult]) {
    let outcome = try runBenchmark(["worker", try plan.workerPlan()], binary: binary)
    let cells = outcome.standardOutput.split(separator: "\n").compactMap { line -> CellResult? in
      guard case .cell(let cell)? = try? JSONDecoder().decode(WorkerEvent.self, from: Data(line.utf8)) else {
        return nil
      }
      return cell
    }
    return (outcome, cells)
  }

  @Test func measuresWhatBenchmarkWorkerMeasures() throws {
    var plan = RunPlan()
    (plan.kernels, plan.flavours, plan.threads, plan.size) = (["nqueens", "mandelbrot"], [.unsafe, .c], [1, 2], "tiny")
    (plan.samples, plan.minTimeMilliseconds) = (1, 1)
    let (worker, fromWorker) = try cells(from: workerBinary, plan)
    let (_, fromBenchmark) = try cells(from: benchmarkBinary, plan)
    #expect(worker.status == ExitStatus.success, "\(worker.standardError)")
    #expect(fromWorker.count == 8)
    #expect(fromWorker.map(\.id) == fromBenchmark.map(\.id))
    #expect(fromWorker.map(\.result) == fromBenchmark.map(\.result))
    #expect(fromWorker.allSatisfy { $0.result != nil && $0.statistics != nil })
  }

  @Test func runsTheProcessBackendWithItself() throws {
    var plan = RunPlan()
    (plan.kernels, plan.flavours, plan.threads, plan.size) = (["nqueens"], [.c], [2], "tiny")
    (plan.samples, plan.minTimeMilliseconds, plan.backend) = (1, 1, .processes)
    let (worker, cells) = try cells(from: workerBinary, plan)
    #expect(worker.status == ExitStatus.success, "\(worker.standardError)")
    #expect(cells.count == 1 && cells.first?.result != nil)
  }

  @Test func withoutASubcommandItPrintsItsUsage() throws {
    let outcome = try runBenchmark([], binary: workerBinary)
    #expect(outcome.status == ExitStatus.usage)
    #expect(outcome.standardError.hasPrefix("usage: benchmark-worker worker PLAN"))
    #expect(outcome.standardOutput.isEmpty)
  }

  @Test func aBadPlanOrChunkJobIsOneLineAndExitTwo() throws {
    for arguments in [
      ["worker", "{not json"], ["chunks", "--kernel", "nosuch"],
      ["chunks", "--kernel", "nqueens", "--flavour", "c", "--size", "6", "--worker", "2", "--of", "2"],
    ] {
      let outcome = try runBenchmark(arguments, binary: workerBinary)
      #expect(outcome.status == ExitStatus.usage, "\(arguments)")
      #expect(outcome.standardError.hasPrefix("error: ") && outcome.standardError.split(separator: "\n").count == 1)
    }
  }

  @Test func chunksOptionsAreNamedOnceWithAValue() throws {
    let given = try WorkerCommandLine.chunksOptions(["--kernel", "nqueens", "--of", "2"])
    #expect(given == ["--kernel": "nqueens", "--of": "2"])
    for bad in [["--kernel"], ["--kernel", "a", "--kernel", "b"], ["--threads", "2"]] {
      #expect(throws: UsageError.self) { try WorkerCommandLine.chunksOptions(bad[...]) }
    }
  }
}
