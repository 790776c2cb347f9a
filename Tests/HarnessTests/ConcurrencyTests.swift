// The concurrency options, the lesson table, and the latency kernel's place
// outside the default ladder.

import Foundation
import TestSupport
import Testing
import KernelKit
import Kernels
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports
@testable import WorkerProtocol
@testable import Workers

@Suite("Concurrency")
struct ConcurrencyTests {
  // MARK: - Options

  @Test func backendOptionsReachTheWorker() throws {
    let options = try parsed(["--backend", "processes", "--gil", "--time-limit", "5"], as: Command.Run.self).plan
    #expect(options.backend == .processes)
    #expect(options.gil)
    #expect(options.timeLimitSeconds == 5)
    // The worker is sent a typed request, not a rebuilt command line.
    let sent = try WorkerRequest.measure(options.measureRequest(for: .release, kernels: options.sizedKernels())).line()
    guard case .measure(let again) = try WorkerRequest.decode(sent) else {
      Issue.record("not a measure request")
      return
    }
    #expect(again.backend == .processes && again.gil && again.timeLimitSeconds == 5)
  }

  @Test func theDefaultRunLeavesLatencyOut() throws {
    let defaults = try parsed([], as: Command.Run.self).plan
    let named = try parsed(["--kernels", "latency"], as: Command.Run.self).plan
    #expect(!defaults.kernels.contains("latency"))
    #expect(defaults.kernels.count == catalogue.count - 1)
    #expect(named.kernels == ["latency"])
  }

  static let badInputs: [([String], String)] = [
    (["--backend", "fibers"], "unknown backend 'fibers'; valid backends: threads, dispatch, tasks, processes"),
    (["--gil=yes"], "option '--gil' takes no value"),
    (["--time-limit", "0"], "--time-limit: '0' is not a time"),
    (["concurrency", "--kernel", "nbody"], "--kernel: 'nbody' cannot run in processes"),
    (["concurrency", "--kernel", "latency"], "is not CPU-bound"),
    (["concurrency", "--io-threads", "0"], "--io-threads: '0' is not a thread count"),
    (["concurrency", "--size", "12"], "--size: '12' is not a size"),
    (["concurrency", "--gil"], "unknown option '--gil' for 'concurrency'"),
  ]

  @Test(arguments: badInputs)
  func badInputIsAUsageError(arguments: [String], message: String) {
    #expect {
      _ = try Command.parse(arguments)
    } throws: { error in
      (error as? UsageError)?.message.contains(message) == true
    }
  }

  @Test func concurrencyOptionsRoundTrip() throws {
    let command = try parsed(["concurrency", "--kernel", "nqueens", "--io-threads", "4", "--size", "tiny"], as: Command.Concurrency.self)
    let options = command.options
    #expect(options.kernel == "nqueens" && options.ioThreads == 4 && options.size == "tiny")
    #expect(try parsed(["concurrency"] + options.arguments(), as: Command.Concurrency.self) == command)
  }

  // MARK: - The lesson table

  /// Latency's "gains" would only be about sleeping: the compounding summary leaves it out.
  @Test func compoundingLeavesIOBoundKernelsOut() {
    func cell(_ kernel: String, _ build: Build, _ median: Double) -> CellResult {
      var cell = Fixtures.Results.cell(.idiomatic, build, median: median)
      cell.id.kernel = kernel
      return cell
    }
    let results = Fixtures.Results.sample([
      cell("mandelbrot", .debug, 1.0), cell("mandelbrot", .release, 0.1),
      cell("latency", .debug, 0.2), cell("latency", .release, 0.2),
    ])
    let compiler = LadderView(results).compounding.first { $0.gains.contains { $0.kernel == "mandelbrot" } }
    #expect(compiler?.gains.map(\.kernel) == ["mandelbrot"])
  }
}
