// The typed worker protocol: every request survives the wire, a malformed one
// is one usage error, and the parent's plan becomes the request it means.

import CLI
import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import TestSupport
import Testing
@testable import WorkerProtocol
@testable import Workers

@Suite("The worker protocol")
struct WorkerProtocolTests {
  /// A measure request with every field set.
  static var measure: MeasureRequest {
    get throws {
      var request = MeasureRequest(
        kernels: [
          SizedKernel(try requireKernel("nqueens", in: catalogue), size: 6),
          SizedKernel(try requireKernel("mandelbrot", in: catalogue), size: 64),
        ],
        flavours: [.unsafe, .c], builds: [.debug, .release], threads: [1, 2], minTimeMilliseconds: 1.5, samples: 3,
        backend: .processes, gil: true, timeLimitSeconds: 30,
        slowdowns: [Slowdown(kernel: "nqueens", flavour: .c, factor: 1.25)],
        injections: [WorkInjection(kernel: "mandelbrot", flavour: .unsafe, kind: .pass(scattered: true))],
        only: [CellID(kernel: "nqueens", flavour: .c, build: .release, threads: 2)])
      request.excluded = [CellID(kernel: "mandelbrot", flavour: .c, build: .release, threads: 1)]
      request.limitsBudgetSeconds = 0.25
      request.countFile = "/tmp/count\nfile"  // a line break inside a string stays inside the one line
      request.progressContext = ProgressContext(kernels: "kernel 1 of 2", secondsLeft: 12.5)
      return request
    }
  }

  static var requests: [WorkerRequest] {
    get throws {
      [
        .measure(try measure),
        .chunks(ChunkJob(kernel: try requireKernel("nqueens", in: catalogue), flavour: .c, size: 8, worker: 1, of: 3)),
        .blas(BLASJob(path: "/usr/lib/libopenblas.so.0", n: 64, threads: [1, 2], samples: 2, minTimeMilliseconds: 1)),
      ]
    }
  }

  // MARK: - The wire

  @Test func everyRequestSurvivesTheWireAsOneLine() throws {
    for request in try Self.requests {
      let line = try request.line()
      #expect(line.last == UInt8(ascii: "\n") && line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
      #expect(try WorkerRequest.decode(line) == request)
      #expect(try Self.received(line) == request)
    }
  }

  /// The job's name is the one key: `{"chunks": {"kernel": "nqueens", …}}`.
  @Test func aRequestNamesItsJob() throws {
    let job = ChunkJob(kernel: try requireKernel("nqueens", in: catalogue), flavour: .c, size: 8, worker: 0, of: 2)
    let object = try JSONSerialization.jsonObject(with: try WorkerRequest.chunks(job).line()) as? [String: Any]
    let chunks = try #require(object?["chunks"] as? [String: Any])
    #expect(object?.count == 1)
    #expect(chunks["kernel"] as? String == "nqueens" && chunks["size"] as? Int == 8 && chunks["of"] as? Int == 2)
  }

  @Test func aValidMeasureTextIsAccepted() throws {
    guard case .measure(let request) = try WorkerRequest.decode(Data(Fixtures.WorkerRequests.measureText().utf8)) else {
      Issue.record("not a measure request")
      return
    }
    #expect(request.kernels.map(\.kernel.name) == ["nqueens"] && request.sizes == ["nqueens": 6])
  }

  @Test(arguments: Fixtures.WorkerRequests.malformed)
  func aMalformedRequestIsOneUsageError(input: String, says: String) throws {
    #expect {
      _ = try Self.received(Data(input.utf8))
    } throws: { error in
      guard let usage = error as? UsageError else { return false }
      return usage.message.hasPrefix("worker: ") && !usage.message.contains("\n") && usage.message.contains(says)
    }
  }

  /// What `WorkerRequest.receive` makes of `data` on its standard input.
  static func received(_ data: Data) throws -> WorkerRequest {
    let pipe = try standardInput(data)
    return try WorkerRequest.receive(from: pipe.fileHandleForReading.fileDescriptor)
  }

  // MARK: - From the plan

  /// The parent resolves `--size` once; the worker is sent numbers and
  /// kernels, and only what measuring needs of the run.
  @Test func theRunPlanBecomesTheMeasureRequestItMeans() throws {
    var plan = RunPlan()
    plan.kernels = ["mandelbrot", "sieve"]
    plan.size = try SizeRequest("tiny,sieve=5000")
    (plan.builds, plan.threads, plan.samples, plan.backend) = ([.debug, .release], [1, 2], 2, .processes)
    plan.slowdowns = [try Slowdown.parse("sieve/c=1.5")]
    (plan.format, plan.output, plan.saveBaseline, plan.interpreters) = (.json, "out.json", "b.json", true)
    let request = plan.measureRequest(for: .debug, kernels: try plan.sizedKernels())
    let tiny = try requireKernel("mandelbrot", in: catalogue).sizes.tiny
    #expect(request.kernels.map(\.kernel.name) == ["mandelbrot", "sieve"])
    #expect(request.sizes == ["mandelbrot": tiny, "sieve": 5000])
    #expect(request.flavours == plan.flavours(in: .debug) && request.builds == [.debug, .release])
    #expect(request.threads == [1, 2] && request.samples == 2 && request.backend == .processes)
    #expect(request.slowdowns == plan.slowdowns)
    let sent = try WorkerRequest.measure(request).line()
    #expect(try WorkerRequest.decode(sent) == .measure(request))
    for word in ["json", "out.json", "b.json", "interpreters", "tiny"] {
      #expect(!String(decoding: sent, as: UTF8.self).contains(word), "\(word)")
    }
  }

  // MARK: - Standard input

  /// A child's standard input holds all of `input`, however long, and a child
  /// that reads none of it neither blocks the parent nor ends it with SIGPIPE.
  @Test(arguments: [0, 100, 1 << 20])
  func aChildReadsAllOfItsInput(bytes: Int) throws {
    let input = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 % 251) })
    let echoed = try runProcess("cat", [], input: input)
    #expect(echoed.succeeded && echoed.standardOutput == input)
    let ignored = try runProcess("sh", ["-c", "exit 3"], input: input)
    #expect(ignored.status == 3)
  }
}
