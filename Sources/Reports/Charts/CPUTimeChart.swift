// CPU time against elapsed time for every multi-core cell: how much of the
// machine a cell kept busy, and how much extra work its threads did.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// The CPU-time chart of one run: elapsed and CPU time of every multi-core cell.
struct CPUTimeChart {
  var data: ChartData

  init(_ data: ChartData) { self.data = data }

  private var results: RunResults { data.results }

  /// The cells on more than one thread, per kernel, in table order.
  var multiCoreCells: [CellResult] {
    results.cells.filter { $0.id.threads > 1 }.sorted { catalogue.lists($0.id, before: $1.id) }
  }

  /// `cpu-time.svg`: per kernel, two bars per multi-core cell — elapsed and
  /// CPU time per run — in units of the same build·flavour's one-thread
  /// elapsed time. Perfect scaling reads elapsed 1/n and CPU 1; CPU above 1
  /// is parallel overhead (spinning, contention, extra work).
  var svg: String {
    let width = 1200.0
    let columns = 2
    let panelWidth = (width - 40) / Double(columns)
    let byKernel = results.kernels.map { kernel in (kernel, multiCoreCells.filter { $0.id.kernel == kernel }) }
    // A sweep has three times the rows of a 1,2 run: thinner rows keep the page short.
    let rowHeight = byKernel.contains { $0.1.count > 8 } ? 20.0 : 24.0
    let panelHeights = byKernel.map { 48 + Double(max($0.1.count, 1)) * rowHeight + 44 }
    var rowTops: [Double] = []
    var y = 104.0
    for start in stride(from: 0, to: panelHeights.count, by: columns) {
      rowTops.append(y)
      y += panelHeights[start..<min(start + columns, panelHeights.count)].max()!
    }
    let height = max(y, 150) + 16
    var svg = SVGDocument(width: width, height: height)
    svg.text("CPU time against elapsed time, every multi-core cell", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Per run, in units of the same build·flavour's one-thread elapsed time. Ideal: elapsed 1/threads, CPU 1 (no extra work); CPU above 1 is parallel overhead.",
      x: 24, y: 52, size: 13, fill: "#555555")
    svg.rect(x: 24, y: 66, width: 22, height: 12, fill: Palette.blue)
    svg.text("elapsed (wall-clock) time per run", x: 52, y: 77, size: 13)
    svg.rect(x: 300, y: 66, width: 22, height: 12, fill: Palette.orange)
    svg.text("process CPU time per run (all threads)", x: 328, y: 77, size: 13)
    svg.line(640, 72, 664, 72, stroke: "#333333", width: 1.5, dash: "4 3")
    svg.text("1 = one-thread elapsed time", x: 670, y: 77, size: 13)
    svg.text("labels: elapsed / CPU, as measured", x: 900, y: 77, size: 13, fill: "#555555")

    let normalised = multiCoreCells.flatMap { cell -> [Double] in
      guard let one = oneThreadElapsed(cell.id) else { return [] }
      return [cell.median, data.cpuMedian(cell.id)].compactMap { $0.map { $0 / one } }
    }
    let xMax = max(1.2, (normalised.max() ?? 1) * 1.08)
    for (i, (kernel, cells)) in byKernel.enumerated() {
      let left = 20 + Double(i % columns) * panelWidth
      drawCPUPanel(
        &svg, kernel: kernel, cells: cells, left: left, top: rowTops[i / columns], width: panelWidth - 20,
        rowHeight: rowHeight, xMax: xMax)
    }
    if byKernel.isEmpty {
      svg.text("No cells measured.", x: 60, y: 130, size: 15, italic: true, mark: "missing")
    }
    return svg.rendered(
      chart: "cpu-time", title: "CPU time against elapsed time",
      summary: "For each multi-core cell, elapsed and CPU time per run relative to one thread's elapsed time.")
  }

  private func oneThreadElapsed(_ id: CellID) -> Double? {
    var single = id
    single.threads = 1
    return results.median(single)
  }

  private func drawCPUPanel(
    _ svg: inout SVGDocument, kernel: String, cells: [CellResult], left: Double, top: Double, width: Double,
    rowHeight: Double, xMax: Double
  ) {
    let labelWidth = 128.0
    let textRoom = 150.0
    let scale = LinearScale(low: 0, high: xMax, start: left + labelWidth, end: left + width - textRoom)
    svg.text(kernel, x: left, y: top + 18, size: 15, weight: "bold")
    let gridTop = top + 30
    let gridBottom = gridTop + Double(max(cells.count, 1)) * rowHeight
    for tick in scale.ticks(count: 4) {
      svg.line(scale(tick), gridTop, scale(tick), gridBottom, stroke: Palette.grid)
      svg.text(tickNumber(tick), x: scale(tick), y: gridBottom + 16, size: 12, anchor: .middle, fill: "#444444")
    }
    svg.line(scale(1), gridTop - 4, scale(1), gridBottom, stroke: "#333333", width: 1.5, dash: "4 3")
    svg.line(scale.start, gridBottom, scale.end, gridBottom, stroke: "#333333")
    svg.text(
      "time per run ÷ one-thread elapsed", x: (scale.start + scale.end) / 2, y: gridBottom + 34, size: 13,
      anchor: .middle)
    if cells.isEmpty {
      svg.text(
        "no multi-core cells measured", x: scale.start + 8, y: gridTop + 16, size: 12, fill: "#555555",
        italic: true, mark: "missing")
      return
    }
    for (row, cell) in cells.enumerated() {
      let y = gridTop + Double(row) * rowHeight
      let id = cell.id
      svg.text(id.rung, x: scale.start - 8, y: y + rowHeight / 2 + 4, size: 12.5, anchor: .end)
      guard let elapsed = cell.median, let cpu = data.cpuMedian(id), let one = oneThreadElapsed(id) else {
        let why = cell.failed ? "FAIL" : (oneThreadElapsed(id) == nil ? "no one-thread cell to compare" : "not timed")
        svg.text(why, x: scale.start + 8, y: y + rowHeight / 2 + 4, size: 12, fill: "#555555", italic: true, mark: "missing", data: ["cell": id.description])
        continue
      }
      let barHeight = (rowHeight - 6) / 2
      svg.rect(
        x: scale.start, y: y + 3, width: scale(elapsed / one) - scale.start, height: barHeight, fill: Palette.blue,
        mark: "elapsed", data: ["cell": id.description, "seconds": String(elapsed)],
        tooltip: "\(id.rung) elapsed \(formatSeconds(elapsed))")
      svg.rect(
        x: scale.start, y: y + 3 + barHeight, width: scale(cpu / one) - scale.start, height: barHeight,
        fill: Palette.orange, mark: "cpu", data: ["cell": id.description, "seconds": String(cpu)],
        tooltip: "\(id.rung) CPU \(formatSeconds(cpu))")
      svg.text(
        "\(formatSeconds(elapsed)) / \(formatSeconds(cpu))", x: scale.end + 10, y: y + rowHeight / 2 + 4, size: 12,
        mark: "value", data: ["cell": id.description])
    }
  }
}
