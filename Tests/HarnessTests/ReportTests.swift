import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

/// `benchmark report`: every file is well-formed XML, every data point has
/// its mark, the values drawn are the JSON's, and a partial run still reports.
@Suite("Report")
struct ReportTests {
  // MARK: - Results built here (no timing)

  /// The same results after a trip through their JSON: what `--from` draws.
  static func viaJSON(_ results: RunResults) throws -> RunResults {
    try RunResults.decode(try results.json())
  }

  // MARK: - Well-formed

  @Test(arguments: ["full", "partial", "empty"])
  func everyFileIsWellFormedXML(which: String) throws {
    let results =
      switch which {
      case "full": Fixtures.Report.full()
      case "partial": Self.partial()
      default: Fixtures.Report.results([], threads: [1])
      }
    let files = ReportPage(results).files
    #expect(files.map(\.name).contains("index.html"))
    #expect(files.map(\.name).contains("report.md"))
    for file in files where file.name != "report.md" {
      let document = try XMLDocumentSummary(file.contents)
      #expect(document.root == (file.name.hasSuffix(".svg") ? "svg" : "html"), "\(file.name)")
    }
    let html = files.first { $0.name == "index.html" }!.contents
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
    #expect(html.contains("Test CPU, 2 cores"))
    #expect(html.contains("commit 0123456789ab"))
    #expect(html.contains("2026-01-01T00:00:00Z"))
  }

  // MARK: - Marks and values

  @Test func ladderHasOneBarPerRungWithTheJSONValues() throws {
    let results = try Self.viaJSON(Fixtures.Report.full())
    for kernel in Fixtures.Report.kernels {
      let svg = try XMLDocumentSummary(LadderChart(ChartData(results)).svg(for: kernel))
      let bars = svg.elements(class: "bar")
      let ladder = LadderView(results).rungs(for: kernel)
      #expect(bars.map { $0.attributes["data-cell"] } == ladder.map(\.description))
      for (bar, id) in zip(bars, ladder) {
        #expect(Double(bar.attributes["data-seconds"]!) == results.cell(id)!.statistics!.median)
        let label = svg.elements(class: "value").first { $0.attributes["data-cell"] == id.description }
        #expect(label?.text == formatSeconds(results.cell(id)!.statistics!.median))
      }
      // The gains printed are the table's ×prev column.
      let gains = svg.elements(class: "gain").map(\.text)
      let table = ReportPage(results).table(for: kernel).rows.filter(\.rung).map { $0.cells[2] }.filter { !$0.isEmpty }
      #expect(gains == table)
      #expect(gains.count == ladder.count - 1)
      #expect(TextTable(results).kernelTable(kernel).contains(gains[0]))
    }
    let overview = try XMLDocumentSummary(LadderChart(ChartData(results)).overviewSVG)
    #expect(overview.elements(class: "bar").count == Fixtures.Report.kernels.count * LadderView(results).rungs(for: "nbody").count)
  }

  @Test func ladderStartsWithThePythonRungsWhenARunHasThem() throws {
    let results = try Self.viaJSON(Fixtures.Interpreter.fullLadder())  // CPython 10 s, PyPy 2 s, Cython 0.5 s
    let svg = try XMLDocumentSummary(LadderChart(ChartData(results)).svg(for: "mandelbrot"))
    let seconds = svg.elements(class: "bar").compactMap { $0.attributes["data-seconds"].flatMap(Double.init) }
    #expect(seconds == [10, 2, 0.5, 1.0, 0.1, 0.05, 0.05, 0.025])
    #expect(svg.elements(class: "gain").map(\.text).prefix(3) == ["5.00×", "4.00×", "0.50×"])
  }

  @Test func heatMapHasOneCellPerMeasuredCellWithTheTablesRatio() throws {
    let results = try Self.viaJSON(Fixtures.Report.full())
    let svg = try XMLDocumentSummary(HeatMapChart(ChartData(results)).svg)
    let marks = svg.elements(class: "heat")
    #expect(marks.count == results.cells.count)
    for kernel in Fixtures.Report.kernels {
      let base = ChartData(results).baseline(for: kernel)!
      #expect(base.rung == "debug·idiomatic·1")
      for row in ReportPage(results).table(for: kernel).rows {
        let id = results.cells.first { $0.id.kernel == kernel && $0.id.rung == row.cells[0] }!.id
        let printed = svg.elements(class: "value").first { $0.attributes["data-cell"] == id.description }?.text
        #expect(printed == row.cells[3], "\(id)")
        let mark = marks.first { $0.attributes["data-cell"] == id.description }
        #expect(Double(mark?.attributes["data-speedup"] ?? "") == results.speedup(from: base, to: id))
      }
    }
  }

  @Test func scalingHasOnePointPerThreadCountAndTheFittedSerialFraction() throws {
    let results = try Self.viaJSON(Fixtures.Report.full())
    let svg = try XMLDocumentSummary(ScalingChart(ChartData(results)).svg)
    let points = svg.elements(class: "point")
    #expect(points.count == Fixtures.Report.kernels.count * 4)
    for point in points {
      let id = CellID(point.attributes["data-cell"]!)!
      // The ladder's top flavour and build: here native C vectors wherever a kernel has them.
      let top = try #require(LadderView(results).steps(for: id.kernel).last { $0.kind == .cores }).from
      #expect(id.build == top.0 && id.flavour == top.1)
      #expect(id.build == .native)
      #expect(Double(point.attributes["data-speedup"]!) == results.threadSpeedup(id) ?? 1)
    }
    // The medians follow Amdahl's law with s = 0.1 on 2 cores: the fit finds it.
    let fractions = svg.elements(class: "serial-fraction")
    #expect(fractions.count == Fixtures.Report.kernels.count)
    for fraction in fractions {
      #expect(abs(Double(fraction.attributes["data-serial"]!)! - 0.1) < 1e-6)
      #expect(fraction.text == "Amdahl fit: s = 10.0%")
    }
    #expect(svg.elements(class: "amdahl").count == Fixtures.Report.kernels.count)
    #expect(svg.elements(class: "ideal").count == Fixtures.Report.kernels.count)
  }

  @Test func amdahlFitIsLeastSquares() throws {
    // Exact points: the fit returns the serial fraction they came from.
    for s in [0.0, 0.05, 0.37, 1.0] {
      let law = AmdahlFit(serialFraction: s, cores: 8)
      let points = [1, 2, 4, 8].map { ($0, law.speedup(threads: Double($0))) }
      #expect(abs(AmdahlFit(points: points, cores: 8)!.serialFraction - s) < 1e-6)
    }
    // Noisy points: no other s has a smaller squared error.
    let points = [(1, 1.0), (2, 1.7), (3, 2.6), (4, 2.9)]
    let fit = AmdahlFit(points: points, cores: 4)!
    func error(_ s: Double) -> Double {
      points.reduce(0) { sum, p in
        let d = AmdahlFit(serialFraction: s, cores: 4).speedup(threads: Double(p.0)) - p.1
        return sum + d * d
      }
    }
    for s in stride(from: 0.0, through: 1.0, by: 0.001) { #expect(error(fit.serialFraction) <= error(s) + 1e-12) }
    // One thread count is not enough to fit anything.
    #expect(AmdahlFit(points: [(1, 1.0)], cores: 4) == nil)
  }

  @Test func cpuChartHasTwoBarsPerMultiCoreCell() throws {
    let results = try Self.viaJSON(Fixtures.Report.full())
    let svg = try XMLDocumentSummary(CPUTimeChart(ChartData(results)).svg)
    let multi = results.cells.filter { $0.id.threads > 1 }
    #expect(svg.elements(class: "elapsed").count == multi.count)
    #expect(svg.elements(class: "cpu").count == multi.count)
    for cell in multi {
      let cpu = svg.elements(class: "cpu").first { $0.attributes["data-cell"] == cell.id.description }
      #expect(Double(cpu?.attributes["data-seconds"] ?? "") == SampleStatistics.median(cell.cpuSamples))
      let label = svg.elements(class: "value").first { $0.attributes["data-cell"] == cell.id.description }
      #expect(label?.text == "\(formatSeconds(cell.median!)) / \(formatSeconds(SampleStatistics.median(cell.cpuSamples)))")
    }
  }

  // MARK: - Partial and empty

  /// No release build, one FAIL cell, only one thread count.
  static func partial() -> RunResults {
    var results = Fixtures.Report.full(threads: [1], builds: [.debug])
    results.cells[1].verification = CellVerification(.crashed, "crashed (signal 11)")
    return results
  }

  @Test func partialResultsSayWhatIsMissing() throws {
    let results = Self.partial()
    let failed = results.cells[1].id
    let missing = ChartData(results).missingParts()
    #expect(missing.contains("The release build was not measured (skipped, or it failed to build)."))
    #expect(missing.contains("FAIL \(failed): crashed (signal 11)"))
    #expect(missing.contains { $0.hasPrefix("Only one thread count (1) was measured") })
    #expect(missing.contains { $0.contains("mandelbrot: ladder rungs release·idiomatic·1") })
    var holey = Fixtures.Report.full(threads: [1, 2])
    holey.cells.removeAll { $0.id.description == "nbody/debug/c/2" }
    #expect(ChartData(holey).missingParts().contains("nbody: cell debug·c·2 not measured."))
    let files = ReportPage(results).files
    let html = files.first { $0.name == "index.html" }!.contents
    let markdown = files.first { $0.name == "report.md" }!.contents
    for line in missing {
      #expect(html.contains(xmlEscaped(line)))
      #expect(markdown.contains(line))
    }
    // The ladder draws a "missing" row for each absent rung, a bar for the rest.
    let ladder = try XMLDocumentSummary(LadderChart(ChartData(results)).svg(for: "mandelbrot"))
    #expect(ladder.elements(class: "bar").count == 1)
    #expect(ladder.elements(class: "missing-text").map(\.text).allSatisfy { $0 == "not measured" })
    #expect(ladder.elements(class: "missing").count == LadderView(results).rungs(for: "mandelbrot").count - 1)
    let heat = try XMLDocumentSummary(HeatMapChart(ChartData(results)).svg)
    #expect(heat.elements(class: "missing").map { $0.attributes["data-cell"] }.contains(failed.description))
    let scaling = try XMLDocumentSummary(ScalingChart(ChartData(results)).svg)
    #expect(scaling.elements(class: "point").isEmpty)
    #expect(scaling.elements(class: "missing").count == Fixtures.Report.kernels.count)
  }

  @Test func heatMapNamesAnotherBaseline() throws {
    let results = Fixtures.Report.full(threads: [1, 2], builds: [.release])
    let svg = try XMLDocumentSummary(HeatMapChart(ChartData(results)).svg)
    #expect(svg.elements(class: "note").first?.text.contains("mandelbrot: release·idiomatic·1") == true)
    #expect(svg.elements(class: "heat").count == results.cells.count)
  }

  @Test func emptyResultsStillMakeAReport() throws {
    let results = Fixtures.Report.results([], threads: [1, 2])
    #expect(ChartData(results).missingParts() == ["No cells were measured: the results file holds no cells."])
    let html = ReportPage(results).files.first { $0.name == "index.html" }!.contents
    #expect(html.contains("No cells were measured"))
  }

  // MARK: - Command line

  @Test func threadSweepIsOneToTwiceTheCores() throws {
    #expect(sweepThreads(cores: 2) == [1, 2, 3, 4])
    #expect(sweepThreads(cores: 1) == [1, 2])
    let options = try parsed(["--threads", "sweep"], as: Command.Run.self).plan
    #expect(options.threads == sweepThreads(cores: activeCores()))
  }
}

// MARK: - Rounding and the ladder's top rung

@Suite("Report: shared rounding and rungs")
struct ReportRoundingTests {
  /// Labels keep three significant digits across a unit or width boundary.
  @Test func roundingAcrossBoundaries() {
    #expect(formatSeconds(0.0099999) == "10.0 ms")
    #expect(formatSeconds(0.99999) == "1.00 s")
    #expect(formatSeconds(0.000999996) == "1.00 ms")
    #expect(formatSeconds(0.0123) == "12.3 ms")
    #expect(formatRatio(9.9999) == "10.0×")
    #expect(formatRatio(99.96) == "100×")
    #expect(formatRatio(1.004) == "1.00×")
  }

  /// A sweep's oversubscribed counts are not "all cores": the ladder ends at the cores.
  @Test func ladderEndsAtTheCoresInASweep() {
    #expect(Fixtures.Report.full(threads: [1, 2, 3, 4]).topThreads == 2)
    #expect(Fixtures.Report.full(threads: [1, 2]).topThreads == 2)
    #expect(Fixtures.Report.full(threads: [1, 4]).topThreads == 4)
    #expect(Fixtures.Report.full(threads: [1]).topThreads == 1)
  }
}
