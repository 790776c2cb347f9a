import Foundation
import Kernels
import TestSupport
import Testing
import KernelKit
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports
@testable import Workers

@Suite("Results")
struct ResultsTests {
  @Test func jsonRoundTrips() throws {
    let results = Fixtures.Results.sample([
      Fixtures.Results.cell(.idiomatic, .debug, median: 1.0),
      Fixtures.Results.cell(.c, .release, threads: 2, median: 0.01, checksum: .max),
    ])
    let decoded = try RunResults.decode(try results.json())
    #expect(decoded == results)
    // Checksums travel as hex strings, so no JSON reader rounds them.
    #expect(String(decoding: try results.json(), as: UTF8.self).contains("\"0xffffffffffffffff\""))
  }

  @Test func ladderAndCompounding() {
    let results = Fixtures.Explain.results
    #expect(LadderView(results).rungs(for: "mandelbrot").map(\.rung) == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1", "release·unsafe·1", "release·c·1", "release·c·2",
    ])
    let summaries = LadderView(results).compounding.filter { !$0.gains.isEmpty }
    #expect(summaries.map(\.kind) == [.compiler, .representation, .safetyChecks, .c, .cores])
    for (gain, expected) in zip(summaries.map(\.geometricMean), [10.0, 1.25, 1.6, 1, 2]) {
      #expect(abs(gain - expected) < 1e-9)
    }
    let text = CompoundingSummary(results).text
    #expect(text.contains("40.0× overall from debug·idiomatic·1 to release·c·2"))
    #expect(text.contains("C buys nothing"))
  }

  /// The span rungs split "idiomatic → unsafe" in two, each summarised over
  /// the kernels like every step: geometric mean, least and most; their
  /// product is the old single step's gain on each kernel.
  @Test func representationAndSafetyChecksCompound() throws {
    func cell(_ kernel: String, _ flavour: Flavour, _ median: Double) -> CellResult {
      var cell = Fixtures.Results.cell(flavour, .release, median: median)
      cell.id.kernel = kernel
      return cell
    }
    let results = Fixtures.Results.sample([
      cell("mandelbrot", .idiomatic, 0.2), cell("mandelbrot", .span, 0.1), cell("mandelbrot", .unsafe, 0.1),
      cell("nbody", .idiomatic, 0.8), cell("nbody", .span, 0.1), cell("nbody", .unsafe, 0.1 / 1.21),
    ])
    let summaries = Dictionary(uniqueKeysWithValues: LadderView(results).compounding.map { ($0.kind, $0) })
    let representation = try #require(summaries[.representation])
    let checks = try #require(summaries[.safetyChecks])
    #expect(abs(representation.geometricMean - 4) < 1e-9)  // √(2 × 8)
    #expect(representation.least?.kernel == "mandelbrot" && representation.most?.kernel == "nbody")
    #expect(abs(checks.geometricMean - 1.1) < 1e-9)  // √(1 × 1.21)
    #expect(checks.least?.kernel == "mandelbrot" && abs((checks.most?.gain ?? 0) - 1.21) < 1e-9)
    #expect(checks.buysNothingOn == ["mandelbrot"])
    let text = CompoundingSummary(results).text
    #expect(text.contains("representation   4.00×   idiomatic → span Swift, release, 1 thread"), "\(text)")
    #expect(text.contains("mandelbrot 2.00× … nbody 8.00×"), "\(text)")
    #expect(text.contains("safety checks    1.10×   span → unsafe Swift, release, 1 thread"), "\(text)")
    #expect(text.contains("Finding: safety checks buys nothing (< 1.05×) on mandelbrot."), "\(text)")
  }

  /// Without a debug build the climb starts where the run does, and says so;
  /// Markdown carries the table's × previous rung.
  @Test func releaseOnlyRunClimbsFromItsOwnFirstRung() {
    let results = Fixtures.Results.sample([
      Fixtures.Results.cell(.idiomatic, .release, median: 0.1),
      Fixtures.Results.cell(.unsafe, .release, median: 0.05),
      Fixtures.Results.cell(.c, .release, median: 0.05),
      Fixtures.Results.cell(.c, .release, threads: 2, median: 0.025),
    ])
    let text = CompoundingSummary(results).text
    #expect(text.contains("4.00× overall from release·idiomatic·1 to release·c·2"), "\(text)")
    #expect(!text.contains("from debug·idiomatic·1"))
    let markdown = MarkdownReport(results).text
    #expect(markdown.contains("| cell | median | × previous rung | × first rung |"))
    #expect(markdown.contains("| **release·unsafe·1** | 50.0 ms | 2.00× |"), "\(markdown)")
  }

  /// With vector cells and a native build the ladder climbs two more rungs
  /// before the cores, and Swift more than 10% behind C is a finding.
  @Test func ladderClimbsVectorsAndTargetCPU() {
    let results = Fixtures.Results.sample([
      Fixtures.Results.cell(.idiomatic, .debug, median: 1.0),
      Fixtures.Results.cell(.idiomatic, .release, median: 0.1),
      Fixtures.Results.cell(.span, .release, median: 0.05),
      Fixtures.Results.cell(.unsafe, .release, median: 0.05),
      Fixtures.Results.cell(.c, .release, median: 0.05),
      Fixtures.Results.cell(.cVector, .release, median: 0.025),
      Fixtures.Results.cell(.vector, .native, median: 0.015),
      Fixtures.Results.cell(.cVector, .native, median: 0.01),
      Fixtures.Results.cell(.cVector, .native, threads: 2, median: 0.005),
    ])
    #expect(LadderView(results).rungs(for: "mandelbrot").map(\.rung) == [
      "debug·idiomatic·1", "release·idiomatic·1", "release·span·1", "release·unsafe·1", "release·c·1",
      "release·c-vector·1", "native·c-vector·1", "native·c-vector·2",
    ])
    let summaries = LadderView(results).compounding.filter { !$0.gains.isEmpty }
    #expect(summaries.map(\.name) == [
      "compiler", "representation", "safety checks", "C", "vectors", "target CPU", "2 cores",
    ])
    for (gain, expected) in zip(summaries.map(\.geometricMean), [10.0, 2, 1, 1, 2, 2.5, 2]) {
      #expect(abs(gain - expected) < 1e-9)
    }
    let text = CompoundingSummary(results).text
    #expect(text.contains("200× overall from debug·idiomatic·1 to native·c-vector·2"), "\(text)")
    #expect(text.contains("Finding: on mandelbrot, Swift is 1.50× behind C (native·vector·1 vs native·c-vector·1)"))
  }

  /// A native build this compiler cannot make leaves its cells skipped: the
  /// ladder climbs from release to the cores, and nothing counts as failed.
  @Test func skippedNativeCellsLeaveTheLadder() {
    var skipped = Fixtures.Results.cell(.c, .native, median: 1)
    skipped.statistics = nil
    skipped.verification = CellVerification(.skipped, "swift build … failed: error: unknown target CPU")
    let results = Fixtures.Results.sample([
      Fixtures.Results.cell(.c, .release, median: 0.05), Fixtures.Results.cell(.c, .release, threads: 2, median: 0.025), skipped,
    ])
    #expect(LadderView(results).rungs(for: "mandelbrot").map(\.rung).suffix(2) == ["release·c·1", "release·c·2"])
    #expect(!results.anyFailed)
    #expect(TextTable(results).text.contains("skipped  swift build … failed: error: unknown target CPU"))
  }

  @Test func disagreeingCellIsMarkedMismatch() {
    var cells = [
      Fixtures.Results.cell(.idiomatic, .debug, median: 1),
      Fixtures.Results.cell(.unsafe, .debug, median: 1),
      Fixtures.Results.cell(.c, .debug, median: 1, checksum: 8),
    ]
    crossVerify(&cells, catalogue: catalogue)
    #expect(cells.map(\.verification.status) == [.agreement, .agreement, .mismatch])
    #expect(cells[2].verification.detail.contains("differs from the 2 agreeing cell(s)"))
  }

  @Test func failedCellsStayInEveryFormat() throws {
    var failing = Fixtures.Results.cell(.c, .release, median: 0.05)
    failing.verification = CellVerification(.crashed, "crashed (signal 6)")
    let results = Fixtures.Results.sample([Fixtures.Results.cell(.idiomatic, .debug, median: 1.0), failing])
    #expect(results.anyFailed)
    #expect(TextTable(results).text.contains("FAIL  crashed (signal 6)"))
    #expect(CSVReport(results).text.contains("fail"))
    #expect(MarkdownReport(results).text.contains("| FAIL |"))
  }

  @Test func atomicWriteReplacesWholeFile() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.json").path
    try writeFile(Data("old".utf8), to: path)
    try writeFile(Data("new".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    #expect(contents(of: folder) == ["out.json"])
  }
}

@Suite("Results files")
struct ResultsFileTests {
  /// A file cut short is "truncated?", other bad JSON is not, and JSON is no problem.
  @Test func jsonProblemSaysTruncatedOnlyWhenTheFileEndsEarly() {
    #expect(jsonProblem(Data(#"{"a": [1, "x"]}"#.utf8)) == nil)
    #expect(jsonProblem(Data(#"{"a": [1, "#.utf8)) == "not valid JSON (truncated?)")
    #expect(jsonProblem(Data(#"{"a": "a string with a } in it"#.utf8)) == "not valid JSON (truncated?)")
    #expect(jsonProblem(Data(#"{"a": 1}}"#.utf8)) == "not valid JSON")
    #expect(jsonProblem(Data("{ nope }".utf8)) == "not valid JSON")
  }

  /// A truncated results file is named, and reported as not JSON, not as lacking its "schema".
  @Test func truncatedResultsFileIsNotValidJSON() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("cut.json").path
    let whole = try Fixtures.Results.sample([Fixtures.Results.cell(.c, .release, median: 0.01)]).json()
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
    #expect(throws: UsageError("--from: '\(path)' is not valid JSON (truncated?)")) { try RunResults.load(path, catalogue: catalogue) }
  }
}
