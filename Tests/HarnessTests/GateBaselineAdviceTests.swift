// A baseline missing cells: the error gives the one command that saves every
// cell the gates need, so following it once is enough.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import MeasurementKit
@testable import ProcessKit
@testable import Workers

@Suite("Gate baseline advice")
struct GateBaselineAdviceTests {
  /// The message of the error, and the command it suggests (after "need: ").
  static func advice(_ baseline: RunResults, path: String = "b.json") throws -> (message: String, command: [String]) {
    let file = try GateFile.parse(Data(Fixtures.GateBaselineAdvice.gates.utf8), path: "g.json")
    let checks = file.checks(cores: 2, haveBaseline: true)
    do {
      try GateCommand.checkBaselineCells(baseline, path: path, checks: checks, sizes: try RunPlan().sizes(), file: file)
    } catch let error as UsageError {
      let command = error.message.components(separatedBy: "need: ").last ?? ""
      return (error.message, command.split(separator: " ").map(String.init))
    }
    Issue.record("no error for a baseline missing cells")
    return ("", [])
  }

  static func baseline(_ kernels: [String]) -> RunResults {
    Fixtures.Results.sample(kernels.map { name in
      var cell = Fixtures.Results.cell(.c, .current, median: 0.001)
      cell.id.kernel = name
      return cell
    })
  }

  @Test func oneCommandSavesEveryCellTheGatesNeed() throws {
    let (message, command) = try Self.advice(Self.baseline(["mandelbrot"]))
    #expect(message.hasPrefix("b.json: no cells sieve/\(Fixtures.GateBaselineAdvice.build)/unsafe/1 and 1 more for gates 'b', 'g'; "))
    #expect(command.first == "benchmark")
    let plan = try parsed(Array(command.dropFirst()), as: Command.Run.self).plan
    #expect(plan.kernels == ["mandelbrot", "sieve", "nqueens"])  // catalogue order; the ratio gate needs no baseline
    #expect(plan.builds == [.current] && plan.threads == [1] && plan.size == .tiny)
    #expect(Set(plan.flavours) == [.c, .unsafe])
    #expect(plan.saveBaseline == "b.json" && plan.samples == 3 && plan.minTimeMilliseconds == 2)
  }

  /// Following the advice a second time cannot name yet another kernel:
  /// a baseline with the command's cells satisfies every gate.
  @Test func aBaselineWithThoseCellsIsEnough() throws {
    var tiny = RunPlan()
    tiny.size = .tiny
    let sizes = try tiny.sizes()
    var baseline = Self.baseline(["mandelbrot", "nqueens"])
    var sieve = Fixtures.Results.cell(.unsafe, .current, median: 0.001)
    sieve.id.kernel = "sieve"
    baseline.cells.append(sieve)
    for index in baseline.cells.indices { baseline.cells[index].size = sizes[baseline.cells[index].id.kernel]! }
    let file = try GateFile.parse(Data(Fixtures.GateBaselineAdvice.gates.utf8), path: "g.json")
    try GateCommand.checkBaselineCells(
      baseline, path: "b.json", checks: file.checks(cores: 2, haveBaseline: true), sizes: sizes, file: file)
  }

  @Test func aBaselineAtAnotherSizeGetsTheSameCommand() throws {
    var tiny = RunPlan()
    tiny.size = .tiny
    let sizes = try tiny.sizes()
    var baseline = Self.baseline(["mandelbrot", "nqueens"])
    var sieve = Fixtures.Results.cell(.unsafe, .current, median: 0.001)
    sieve.id.kernel = "sieve"
    baseline.cells.append(sieve)
    for index in baseline.cells.indices { baseline.cells[index].size = sizes[baseline.cells[index].id.kernel]! }
    baseline.cells[0].size = 999
    let file = try GateFile.parse(Data(Fixtures.GateBaselineAdvice.gates.utf8), path: "g.json")
    #expect {
      try GateCommand.checkBaselineCells(
        baseline, path: "b.json", checks: file.checks(cores: 2, haveBaseline: true), sizes: sizes, file: file)
    } throws: { error in
      "\(error)".contains("was measured at size 999; the gates measure size \(sizes["mandelbrot"]!); save a baseline at their size: benchmark run --kernels mandelbrot,sieve,nqueens ")
    }
  }
}
