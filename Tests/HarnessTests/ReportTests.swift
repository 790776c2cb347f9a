import Foundation
import KernelKit
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `benchmark report`: every file is well-formed XML, every data point has
/// its mark, the values drawn are the JSON's, and a partial run still reports.
@Suite("Report")
struct ReportTests {
  // MARK: - Results built here (no timing)

  static let kernels = ["mandelbrot", "nbody"]

  /// A cell with a chosen median; CPU time a little above elapsed × threads.
  static func cell(_ kernel: String, _ build: Build, _ flavour: Flavour, _ threads: Int, median: Double) -> CellResult {
    let samples = [median * 0.98, median, median * 1.03]
    let cpu = samples.map { $0 * Double(threads) * 1.05 }
    return CellResult(
      id: CellID(kernel: kernel, flavour: flavour, build: build, threads: threads), size: 100, runsPerSample: 2,
      samples: samples, cpuSamples: cpu, statistics: SampleStatistics(samples), setupSeconds: 0,
      result: KernelResult(text: "ok", checksum: 1, values: []),
      verification: CellVerification(.agreement, "agrees"), notes: [])
  }

  /// Every cell of two kernels on 1…4 threads, with speed-ups that differ by
  /// build, flavour, kernel and thread count (Amdahl with s = 0.1 up to 2 cores).
  static func full(threads: [Int] = [1, 2, 3, 4], builds: [Build] = Build.allCases) -> RunResults {
    var cells: [CellResult] = []
    for (k, kernel) in kernels.enumerated() {
      for build in builds {
        for (f, flavour) in Flavour.allCases.enumerated() {
          for n in threads {
            let base = (build == .debug ? 1.3 : 0.017) * Double(k + 1) / Double(f + 1)
            let parallel = AmdahlFit(serialFraction: 0.1, cores: 2).speedup(threads: Double(n))
            cells.append(cell(kernel, build, flavour, n, median: base / parallel))
          }
        }
      }
    }
    return results(cells, threads: threads)
  }

  static func results(_ cells: [CellResult], threads: [Int]) -> RunResults {
    RunResults(
      settings: RunSettings(size: "tiny", minTimeMilliseconds: 5, samples: 3, threads: threads),
      provenance: Provenance(
        cpu: "Test CPU", cores: 2, memoryGiB: 4, os: "TestOS", swiftVersion: "Swift 6.3.1",
        builds: [.current], gitCommit: "0123456789ab", gitDirty: false, date: "2026-01-01T00:00:00Z"),
      cells: cells)
  }

  /// The same results after a trip through their JSON: what `--from` draws.
  static func viaJSON(_ results: RunResults) throws -> RunResults {
    try RunResults.decode(try results.json())
  }

  // MARK: - Well-formed

  @Test(arguments: ["full", "partial", "empty"])
  func everyFileIsWellFormedXML(which: String) throws {
    let results =
      switch which {
      case "full": Self.full()
      case "partial": Self.partial()
      default: Self.results([], threads: [1])
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
    let results = try Self.viaJSON(Self.full())
    for kernel in Self.kernels {
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
    #expect(overview.elements(class: "bar").count == Self.kernels.count * LadderView(results).rungs(for: "nbody").count)
  }

  @Test func ladderStartsWithThePythonRungsWhenARunHasThem() throws {
    let results = try Self.viaJSON(InterpreterTests.fullLadder())  // CPython 10 s, PyPy 2 s, Cython 0.5 s
    let svg = try XMLDocumentSummary(LadderChart(ChartData(results)).svg(for: "mandelbrot"))
    let seconds = svg.elements(class: "bar").compactMap { $0.attributes["data-seconds"].flatMap(Double.init) }
    #expect(seconds == [10, 2, 0.5, 1.0, 0.1, 0.05, 0.05, 0.025])
    #expect(svg.elements(class: "gain").map(\.text).prefix(3) == ["5.00×", "4.00×", "0.50×"])
  }

  @Test func heatMapHasOneCellPerMeasuredCellWithTheTablesRatio() throws {
    let results = try Self.viaJSON(Self.full())
    let svg = try XMLDocumentSummary(HeatMapChart(ChartData(results)).svg)
    let marks = svg.elements(class: "heat")
    #expect(marks.count == results.cells.count)
    for kernel in Self.kernels {
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
    let results = try Self.viaJSON(Self.full())
    let svg = try XMLDocumentSummary(ScalingChart(ChartData(results)).svg)
    let points = svg.elements(class: "point")
    #expect(points.count == Self.kernels.count * 4)
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
    #expect(fractions.count == Self.kernels.count)
    for fraction in fractions {
      #expect(abs(Double(fraction.attributes["data-serial"]!)! - 0.1) < 1e-6)
      #expect(fraction.text == "Amdahl fit: s = 10.0%")
    }
    #expect(svg.elements(class: "amdahl").count == Self.kernels.count)
    #expect(svg.elements(class: "ideal").count == Self.kernels.count)
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
    let results = try Self.viaJSON(Self.full())
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
    var results = full(threads: [1], builds: [.debug])
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
    var holey = Self.full(threads: [1, 2])
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
    #expect(scaling.elements(class: "missing").count == Self.kernels.count)
  }

  @Test func heatMapNamesAnotherBaseline() throws {
    let results = Self.full(threads: [1, 2], builds: [.release])
    let svg = try XMLDocumentSummary(HeatMapChart(ChartData(results)).svg)
    #expect(svg.elements(class: "note").first?.text.contains("mandelbrot: release·idiomatic·1") == true)
    #expect(svg.elements(class: "heat").count == results.cells.count)
  }

  @Test func emptyResultsStillMakeAReport() throws {
    let results = Self.results([], threads: [1, 2])
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

  @Test func reportFromAFileWritesEveryFileAndNoTemporaries() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = folder.appendingPathComponent("results.json")
    try Self.full().json().write(to: json)
    let out = folder.appendingPathComponent("new/report")
    let outcome = try runBenchmark(["report", "--from", json.path, "--out", out.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let names = Set(contents(of: out))
    #expect(names == Set(ReportPage(Self.full()).files.map(\.name)))
    #expect(names.contains("ladder-nbody.svg"))
    #expect(!names.contains { $0.hasPrefix(".") })
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html == ReportPage(Self.full()).files.last!.contents)
  }

  /// Without `--from`: a tiny real run (debug build only, so no child build), then the report.
  @Test func reportMeasuresFirstWithoutFrom() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("report")
    let outcome = try runBenchmark([
      "report", "--out", out.path, "--kernels", "mandelbrot", "--builds", "debug", "--threads", "1,2",
      "--size", "tiny", "--samples", "1", "--min-time", "1",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("debug·idiomatic·1"))
    #expect(outcome.standardError.contains("missing: The release build was not measured"))
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(try XMLDocumentSummary(html).root == "html")
    #expect(html.contains("The release build was not measured"))
    let ladder = try XMLDocumentSummary(String(contentsOf: out.appendingPathComponent("ladder-mandelbrot.svg"), encoding: .utf8))
    #expect(ladder.elements(class: "bar").count == 1)
    #expect(Set(contents(of: out)).isSuperset(of: ["index.html", "report.md", "ladder.svg", "heatmap.svg", "scaling.svg", "cpu-time.svg"]))
  }

  /// Bad `--out` or `--from`: exit 2, one line on standard error, nothing written.
  @Test(arguments: ["out-is-file", "out-under-file", "from-missing", "from-not-json", "from-truncated", "from-other-schema", "from-newer", "no-out", "from-and-kernels"])
  func badOutOrFromExitsTwoAndWritesNothing(which: String) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appendingPathComponent("good.json")
    try Self.full().json().write(to: good)
    let file = folder.appendingPathComponent("file.txt")
    try Data("not a folder".utf8).write(to: file)
    let out = folder.appendingPathComponent("out").path
    func from(_ text: String) throws -> String {
      let url = folder.appendingPathComponent("bad.json")
      try Data(text.utf8).write(to: url)
      return url.path
    }
    let (arguments, message): ([String], String) =
      switch which {
      case "out-is-file": (["--from", good.path, "--out", file.path], "is a file; give a folder")
      case "out-under-file": (["--from", good.path, "--out", file.path + "/x"], "cannot create")
      case "from-missing": (["--from", folder.appendingPathComponent("none.json").path, "--out", out], "no such file")
      case "from-not-json": (["--from", try from("{ nope }"), "--out", out], "is not valid JSON")
      case "from-truncated":
        (["--from", try from(#"{"schema": "speedladder.results", "schemaVersion": 1, "cells": [{"#), "--out", out],
         "is not valid JSON (truncated?)")
      case "from-other-schema":
        (["--from", try from(#"{"schema": "other", "schemaVersion": 1}"#), "--out", out], "is not a SpeedLadder results file")
      case "from-newer":
        (["--from", try from(#"{"schema": "speedladder.results", "schemaVersion": 99}"#), "--out", out], "schema version 99")
      case "no-out": (["--from", good.path], "needs --out")
      default: (["--from", good.path, "--out", out, "--kernels", "nbody"], "--kernels measures")
      }
    let before = Set(contents(of: folder))
    let outcome = try runBenchmark(["report"] + arguments)
    #expect(outcome.status == 2)
    #expect(outcome.standardOutput.isEmpty)
    #expect(outcome.standardError.hasPrefix("error: "))
    #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(Set(contents(of: folder)) == before)
  }
}

// MARK: - Reading XML

/// A parsed XML document: its root element and every element with its
/// attributes and text, in document order. Parsing fails on malformed XML.
struct XMLDocumentSummary {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
  }

  var root: String
  var elements: [Element]

  init(_ text: String) throws {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
      throw ParseError(message: parser.parserError.map { "\($0)" } ?? "malformed XML", line: parser.lineNumber)
    }
    root = collector.elements.first?.name ?? ""
    elements = collector.elements
  }

  func elements(class name: String) -> [Element] {
    elements.filter { $0.attributes["class"] == name }
  }

  struct ParseError: Error {
    var message: String
    var line: Int
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var elements: [Element] = []
    var open: [Int] = []

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      open.append(elements.count)
      elements.append(Element(name: name, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      open.removeLast()
    }
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
    #expect(ReportTests.full(threads: [1, 2, 3, 4]).topThreads == 2)
    #expect(ReportTests.full(threads: [1, 2]).topThreads == 2)
    #expect(ReportTests.full(threads: [1, 4]).topThreads == 4)
    #expect(ReportTests.full(threads: [1]).topThreads == 1)
  }
}
