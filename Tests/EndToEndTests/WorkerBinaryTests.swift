// `benchmark-worker`, the product a run builds for its release and native
// builds: it measures as `benchmark worker` does and refuses what it does not take.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import TestSupport
import Testing
@testable import WorkerProtocol
@testable import Workers

@Suite("The worker binary")
struct WorkerBinaryTests {
  /// What a run's worker of this build is sent for `plan`.
  static func request(_ plan: RunPlan) throws -> Data {
    try WorkerRequest.measure(plan.measureRequest(for: .current, kernels: plan.sizedKernels())).line()
  }

  /// The cells a worker streams for `plan`, decoded from its JSON lines.
  func cells(from binary: URL, _ plan: RunPlan) throws -> (Outcome, [CellResult]) {
    let outcome = try runBenchmark(["worker"], binary: binary, input: try Self.request(plan))
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
    (plan.kernels, plan.flavours, plan.threads, plan.size) = (["nqueens", "mandelbrot"], [.unsafe, .c], [1, 2], .tiny)
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
    (plan.kernels, plan.flavours, plan.threads, plan.size) = (["nqueens"], [.c], [2], .tiny)
    (plan.samples, plan.minTimeMilliseconds, plan.backend) = (1, 1, .processes)
    let (worker, cells) = try cells(from: workerBinary, plan)
    #expect(worker.status == ExitStatus.success, "\(worker.standardError)")
    #expect(cells.count == 1 && cells.first?.result != nil)
  }

  @Test(arguments: [[], ["chunks"], ["worker", "{}"], ["blas", "--n", "8"]])
  func anythingButWorkerPrintsItsUsage(arguments: [String]) throws {
    let outcome = try runBenchmark(arguments, binary: workerBinary)
    #expect(outcome.status == ExitStatus.usage)
    #expect(outcome.standardError.hasPrefix("usage: benchmark-worker worker < REQUEST"))
    #expect(outcome.standardOutput.isEmpty)
  }

  /// A request that is not one, from either binary: one `error:` line, exit
  /// status 2, nothing on standard output, never a trap.
  @Test(arguments: Fixtures.WorkerRequests.malformed)
  func aMalformedRequestIsOneLineAndExitTwo(input: String, says: String) throws {
    for binary in [workerBinary, benchmarkBinary] {
      let outcome = try runBenchmark(["worker"], binary: binary, input: Data(input.utf8))
      #expect(outcome.status == ExitStatus.usage, "\(binary.lastPathComponent) \(input)")
      #expect(outcome.standardError.hasPrefix("error: worker: "), "\(outcome.standardError)")
      #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
      #expect(outcome.standardError.contains(says), "\(outcome.standardError)")
      #expect(outcome.standardOutput.isEmpty)
    }
  }

  /// A chunks job the kernel cannot run in processes (a vector flavour has no
  /// chunk driver) is refused by the worker itself, in one line.
  @Test func aChunksJobWithoutADriverIsOneLineAndExitTwo() throws {
    let job = ChunkJob(kernel: try requireKernel("mandelbrot", in: catalogue), flavour: .vector, size: 64, worker: 0, of: 1)
    let outcome = try runBenchmark(["worker"], binary: workerBinary, input: try WorkerRequest.chunks(job).line())
    #expect(outcome.status == ExitStatus.usage)
    #expect(outcome.standardError == "error: mandelbrot vector cannot run in worker processes\n")
  }
}
