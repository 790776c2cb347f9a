// The report folder: a self-contained HTML page (inline SVG and CSS, no
// scripts, nothing fetched), a Markdown twin that links the SVG files, and the
// SVG files themselves. Everything is derived from one `RunResults`.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit

/// One file of the report folder.
package struct ReportFile: Equatable {
  var name: String
  var contents: String
}

/// The report of one run: its charts, a page in HTML and its Markdown twin.
package struct ReportPage: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  private var data: ChartData { ChartData(results) }

  // MARK: - The folder

  /// Every file of the report, in the order they are written: the SVGs, then
  /// `report.md`, then `index.html` last, so an index on disk means a whole report.
  package var files: [ReportFile] {
    let charts = self.charts
    var files = charts.map { ReportFile(name: $0.file, contents: $0.svg) }
    files.append(ReportFile(name: "report.md", contents: markdown(charts)))
    files.append(ReportFile(name: "index.html", contents: html(charts)))
    return files
  }

  /// The charts, in page order: the overview ladder, the heat map, scaling,
  /// CPU time, then one ladder per kernel.
  var charts: [ReportChart] {
    var charts = [
      ReportChart(
        file: "ladder.svg", heading: "The ladder",
        caption: "Every kernel's ladder on one log time scale: a bar per rung, its median time, and its speed-up over the rung above.",
        svg: LadderChart(data).overviewSVG),
      ReportChart(
        file: "heatmap.svg", heading: "Speed-up heat map",
        caption: "Every cell's speed-up over the kernel's debug·idiomatic·1 cell (the tables' × first rung).",
        svg: HeatMapChart(data).svg),
      ReportChart(
        file: "scaling.svg", heading: "Thread scaling",
        caption: "Speed-up over one thread per kernel, the ideal line, and Amdahl's law fitted by least squares (s = serial fraction).",
        svg: ScalingChart(data).svg),
      ReportChart(
        file: "cpu-time.svg", heading: "CPU time against elapsed time",
        caption: "For every multi-core cell: elapsed and process CPU time per run, relative to one thread's elapsed time.",
        svg: CPUTimeChart(data).svg),
      ReportChart(
        file: "roofline.svg", heading: "How close to the machine",
        caption: "Each ladder rung's rate as a share of the ceiling its kernel declares, measured in the same run (multiply-add peak, divide and square-root rates, or bandwidth of the level holding the data); the roof is 100%.",
        svg: RooflineChart(data).svg),
    ]
    for kernel in results.kernels {
      charts.append(
        ReportChart(
          file: "ladder-\(kernel).svg", heading: "Ladder: \(kernel)", caption: "\(kernel), on its own time scale.",
          svg: LadderChart(data).svg(for: kernel), perKernel: true))
    }
    return charts
  }

  // MARK: - Tables

  /// One table per kernel: the rows of the Markdown and HTML reports.
  func table(for kernel: String) -> (header: [String], rows: [(rung: Bool, cells: [String])]) {
    let header = ["cell", "median", "× prev rung", "× first rung", "threads ×", "efficiency", "CPU / run", "CV", "verification"]
    let ladder = LadderView(results).rungs(for: kernel)
    let first = data.baseline(for: kernel)
    let gains = Dictionary(
      uniqueKeysWithValues: zip(ladder, data.rungGains(data.rungs(for: kernel))).compactMap { id, gain in gain.map { (id, $0) } })
    let ordered = ladder.compactMap { results.cell($0) } + results.cells.filter { $0.id.kernel == kernel && !ladder.contains($0.id) }
    let rows = ordered.map { cell -> (Bool, [String]) in
      let id = cell.id
      guard let stats = cell.statistics, !cell.failed else {
        return (ladder.contains(id), [id.rung, "FAIL", "", "", "", "", "", "", cell.verification.detail])
      }
      let threadGain = results.threadSpeedup(id)
      return (
        ladder.contains(id),
        [
          id.rung, formatSeconds(stats.median), gains[id].map(formatRatio) ?? "",
          first.flatMap { results.speedup(from: $0, to: id) }.map(formatRatio) ?? "—",
          threadGain.map(formatRatio) ?? "", threadGain.map { String(format: "%.2f", $0 / Double(id.threads)) } ?? "",
          data.cpuMedian(id).map(formatSeconds) ?? "", formatPercent(stats.cv), cell.verification.status.rawValue,
        ]
      )
    }
    return (header, rows)
  }

  /// Size, samples and threads of the run, in one line.
  var settingsLine: String {
    let settings = results.settings
    return "size \(settings.size) · \(settings.samplingPhrase) · threads \(settings.threads.map(String.init).joined(separator: ","))"
  }

  /// Machine, date and commit: the line every report carries.
  var provenanceLine: String {
    let provenance = results.provenance
    let revision = provenance.gitCommit.map { $0 + (provenance.gitDirty == true ? " (uncommitted changes)" : "") }
    return "Measured on \(provenance.cpu), \(provenance.cores) cores, \(provenance.memoryGiB) GiB · \(provenance.os) · "
      + "\(provenance.swiftVersion) · commit \(revision ?? "unknown") · \(provenance.date)"
  }

  // MARK: - Markdown

  func markdown(_ charts: [ReportChart]) -> String {
    var out = "# SpeedLadder report\n\n\(provenanceLine)\n\n\(results.tool) · \(settingsLine)\n\n## What is missing\n\n"
    out += missingList().map { "- \($0)\n" }.joined()
    for chart in charts where !chart.perKernel {
      out += "\n## \(chart.heading)\n\n\(chart.caption)\n\n![\(chart.heading)](\(chart.file))\n"
    }
    out += "\n## Per kernel\n"
    for kernel in results.kernels {
      let table = table(for: kernel)
      let size = results.cells.first { $0.id.kernel == kernel }?.size ?? 0
      out += "\n### \(kernel) (size \(size))\n\n![ladder: \(kernel)](ladder-\(kernel).svg)\n\n"
      out += "| " + table.header.joined(separator: " | ") + " |\n"
      out += "|---|" + String(repeating: "---:|", count: table.header.count - 2) + "---|\n"
      for row in table.rows {
        var cells = row.cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }
        if row.rung { cells[0] = "**\(cells[0])**" }
        out += "| " + cells.joined(separator: " | ") + " |\n"
      }
    }
    out += "\nLadder rungs in **bold**. × prev rung: speed-up over the ladder rung above.\n"
    out += "\n## How the steps compound\n\n```\n\(CompoundingSummary(results).text)\n```\n\n## Provenance\n\n```\n\(TextTable(results).provenanceText)\n```\n"
    return out
  }

  /// The missing parts, or one line saying nothing is missing.
  func missingList() -> [String] {
    let missing = data.missingParts()
    return missing.isEmpty ? ["Nothing: both builds, every ladder rung and a full thread sweep were measured, and every cell verified."] : missing
  }

  // MARK: - HTML

  func html(_ charts: [ReportChart]) -> String {
    var out = """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
      <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title>SpeedLadder report</title>
      <style>\(Self.css)</style>
      </head>
      <body>
      <main>
      <h1>SpeedLadder report</h1>
      <p class="provenance">\(xmlEscaped(provenanceLine))</p>
      <p class="settings">\(xmlEscaped(results.tool)) · \(xmlEscaped(settingsLine))</p>
      <section class="missing">
      <h2>What is missing</h2>
      <ul>

      """
    out += missingList().map { "<li>\(xmlEscaped($0))</li>\n" }.joined()
    out += "</ul>\n</section>\n<nav><ul>\n"
    for chart in charts where !chart.perKernel {
      out += "<li><a href=\"#\(anchor(chart.file))\">\(xmlEscaped(chart.heading))</a></li>\n"
    }
    out += "<li><a href=\"#per-kernel\">Per kernel: ladders and tables</a></li>\n<li><a href=\"#compounding\">How the steps compound</a></li>\n</ul></nav>\n"
    for chart in charts where !chart.perKernel {
      out += figure(chart, level: 2)
    }
    out += "<h2 id=\"per-kernel\">Per kernel</h2>\n"
    for chart in charts where chart.perKernel {
      let kernel = String(chart.file.dropFirst("ladder-".count).dropLast(".svg".count))
      out += figure(chart, level: 3) + tableHTML(kernel)
    }
    out += "<h2 id=\"compounding\">How the steps compound</h2>\n<pre>\(xmlEscaped(CompoundingSummary(results).text))</pre>\n"
    out += "<h2>Provenance</h2>\n<pre>\(xmlEscaped(TextTable(results).provenanceText))</pre>\n</main>\n</body>\n</html>\n"
    return out
  }

  private func anchor(_ file: String) -> String { String(file.dropLast(".svg".count)) }

  private func figure(_ chart: ReportChart, level: Int) -> String {
    """
    <section id="\(anchor(chart.file))">
    <h\(level)>\(xmlEscaped(chart.heading))</h\(level)>
    <figure>
    \(chart.svg)<figcaption>\(xmlEscaped(chart.caption)) <a href="\(chart.file)">\(chart.file)</a></figcaption>
    </figure>
    </section>

    """
  }

  private func tableHTML(_ kernel: String) -> String {
    let table = table(for: kernel)
    var out = "<table>\n<thead><tr>"
    out += table.header.map { "<th>\(xmlEscaped($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in table.rows {
      out += row.rung ? "<tr class=\"rung\">" : "<tr>"
      out += row.cells.map { "<td>\(xmlEscaped($0))</td>" }.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table>\n<p class=\"note\">Ladder rungs in bold. × prev rung: speed-up over the ladder rung above.</p>\n"
  }

  private static let css = """
    body { margin: 0; background: #fafafa; color: #222; font: 15px/1.45 "DejaVu Sans", Verdana, Helvetica, Arial, sans-serif; }
    main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 48px; background: #fff; }
    h1 { margin: 8px 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
    .provenance { font-weight: bold; margin: 4px 0; } .settings { color: #555; margin: 4px 0 16px; }
    .missing { border-left: 5px solid #E69F00; background: #fff8e6; padding: 2px 16px 8px; }
    .missing h2 { border: none; margin-top: 12px; font-size: 18px; }
    nav ul { display: flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; padding: 0; }
    figure { margin: 8px 0 16px; } figure svg { max-width: 100%; height: auto; display: block; }
    figcaption { color: #555; font-size: 14px; margin-top: 4px; }
    table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
    th, td { border: 1px solid #ddd; padding: 3px 10px; text-align: right; white-space: nowrap; }
    th:first-child, td:first-child, td:last-child, th:last-child { text-align: left; }
    tr.rung td:first-child { font-weight: bold; } thead { background: #f0f0f0; }
    .note { color: #555; font-size: 13px; } pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 13px; }
    """
}

/// A chart of the report: its file, where it sits on the page, its SVG.
struct ReportChart: Equatable {
  var file: String
  var heading: String
  var caption: String
  var svg: String
  var perKernel = false
}

/// Writing the report folder.
package enum ReportWriter {
  /// An interrupt (Ctrl-C, SIGTERM) between two of the report's files: the
  /// ones written are whole, the others were not touched.
  package struct Interrupted: Error {
    package var written: [String]
    package var total: Int
  }

  /// Creates `folder` when missing and writes the report's files into it,
  /// each with `writeFile`, index.html last, so that an index.html written by
  /// this call means every file is. An interrupt stops it between two files
  /// (`Interrupted`), never inside one.
  @discardableResult
  package static func writeReport(_ results: RunResults, to folder: String) throws -> [ReportFile] {
    Interruption.keepGoing()
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw WriteError(path: folder, reason: "cannot create the folder: \(error.localizedDescription)")
    }
    let files = ReportPage(results).files
    var written: [String] = []
    for file in files {
      if Interruption.requested { throw Interrupted(written: written, total: files.count) }
      try writeFile(Data(file.contents.utf8), to: URL(fileURLWithPath: folder).appendingPathComponent(file.name).path)
      written.append(file.name)
    }
    return files
  }
}
