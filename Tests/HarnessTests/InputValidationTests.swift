// Files read back are checked before use: a results file whose times cannot
// be a measurement is refused in one line naming the file, the cell and the
// field (exit 2), an interrupted run's file is named as such, and the charts
// survive absurd values even without the check.

import Foundation
import Kernels
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import MeasurementKit
@testable import Orchestration
@testable import ProcessKit
@testable import Reports
@testable import WorkerProtocol
@testable import Workers

@Suite("Input validation")
struct InputValidationTests {
  /// Each bad results file, and the field its one-line error must name.
  static let badFiles: [(String, String)] = [
    ("zero-medians.json", "samples[0] is 0.0"),
    ("negative-medians.json", "samples[0] is -0.25"),
    ("huge-medians.json", "samples[0] is 1e+300"),
    ("nan-medians.json", "not valid JSON"),
    ("duplicate-cell.json", "the cell is given twice"),
    ("unknown-kernel.json", "unknown kernel 'warp-drive'"),
    ("inconsistent-count.json", "statistics.count is"),
    ("cpu-samples-count.json", "cpuSamples has 3 values for 2 samples"),
  ]

  @Test(arguments: badFiles)
  func aBadResultsFileIsRefusedNamingTheFileTheCellAndTheField(name: String, field: String) throws {
    for (target, load) in [
      ("results", { (path: String) in _ = try RunResults.load(path, catalogue: catalogue) }),
      ("baseline", { (path: String) in _ = try GateCommand.loadBaseline(path) }),
    ] {
      let path = Fixtures.InputValidation.corpusFile(target, name)
      do {
        try load(path)
        Issue.record("\(target)/\(name) was accepted")
      } catch let error as UsageError {
        #expect(error.message.contains(path), "\(error.message)")
        #expect(error.message.contains(field), "\(error.message)")
        if !name.hasPrefix("nan") { #expect(error.message.contains("cell "), "\(error.message)") }
      }
    }
  }

  /// Without the check (decoded directly), the charts and tables of zero and
  /// absurd times still draw: no trap in a scale.
  @Test(arguments: ["zero-medians.json", "huge-medians.json", "negative-medians.json"])
  func chartsSurviveAbsurdTimes(name: String) throws {
    let results = try RunResults.decode(try Data(contentsOf: URL(fileURLWithPath: Fixtures.InputValidation.corpusFile("results", name))))
    let files = ReportPage(results).files
    #expect(files.contains { $0.name == "index.html" })
    #expect(files.allSatisfy { !$0.contents.contains("nan") || $0.name.hasSuffix(".md") || $0.name.hasSuffix(".html") })
    #expect(LogScale(covering: [0, 1e300, .nan, -1], start: 0, end: 100).ticks.count < 1000)
    #expect(LinearScale(low: 1, high: 1, start: 0, end: 100).ticks() == [1])
  }

  // MARK: - Command lines and gates files

  @Test func aKernelNamedTwiceIsMeasuredOnce() throws {
    let command = try #require(try Command.parse(["--kernels", "mandelbrot,nbody,mandelbrot"]) as? Command.Run)
    #expect(command.plan.kernels == ["mandelbrot", "nbody"])
    // A worker is never sent a kernel twice: a request that names one twice is refused.
    var plan = RunPlan()
    plan.kernels = ["mandelbrot", "mandelbrot"]
    let twice = try WorkerRequest.measure(plan.measureRequest(for: .debug, kernels: plan.sizedKernels())).line()
    #expect(throws: UsageError("worker: bad request: kernel mandelbrot is given twice")) {
      try WorkerRequest.decode(twice)
    }
  }

  @Test func optionsMayComeBeforeTheFiles() throws {
    let command = try #require(try Command.parse(["compare", "--force", "a.json", "b.json"]) as? Command.Compare)
    #expect(command.old == "a.json" && command.new == "b.json" && command.force)
    #expect(throws: UsageError("unexpected argument 'c.json'; options start with --, see 'benchmark compare --help'")) {
      try Command.parse(["compare", "a.json", "--force", "b.json", "c.json"])
    }
  }

  @Test func sizeErrorsQuoteWhatWasTyped() throws {
    do {
      _ = try Command.parse(["--kernels", "triad", "--size", "triad=300000000"])
      Issue.record("accepted")
    } catch let error as UsageError {
      #expect(error.message.hasPrefix("--size triad=300000000: "), "\(error.message)")
      #expect(!error.message.contains("quick,"), "\(error.message)")
    }
  }

  @Test(arguments: [
    (#""ratio": "debug·vector·1 / release·vector·1", "atLeast": 2"#, "'debug·vector·1' is never measured"),
    (#""ratio": "debug·span·1 / release·span·1", "atLeast": 2"#, "'debug·span·1' is never measured"),
    (#""ratio": "release·c·1 / release·unsafe·1", "atMost": "1.1""#, #"got the string "1.1""#),
  ])
  func gatesFileMistakesAreNamedAsWritten(gate: String, message: String) {
    let text = #"{ "gates": [ { "name": "g", "kernels": ["mandelbrot"], \#(gate) } ] }"#
    #expect(performing: { _ = try GateFile.parse(Data(text.utf8), path: "g.json") }, throws: { error in
      (error as? UsageError)?.message.contains(message) == true
    })
    let zero = #"{ "minTimeMilliseconds": 0, "gates": [] }"#
    #expect(performing: { _ = try GateFile.parse(Data(zero.utf8), path: "g.json") }, throws: { error in
      (error as? UsageError)?.message.contains("got 0; use milliseconds more than 0") == true
    })
  }
}
