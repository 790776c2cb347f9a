// How close each rung comes to the machine: its rate as a share of the limit
// that bounds its kernel, the roof being 100%.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// The roofline chart of one run: how close each ladder rung comes to its kernel's ceiling.
struct RooflineChart {
  var data: ChartData

  init(_ data: ChartData) { self.data = data }

  private var results: RunResults { data.results }

  /// The kernels whose work is flops or bytes (so a hardware limit applies), with
  /// their ladder's cells that have a share of a limit.
  var rows: [(kernel: String, cells: [CellResult])] {
    results.kernels.compactMap { kernel in
      let rated = LadderView(results).rungs(for: kernel).compactMap { results.cell($0) }.filter { $0.rate?.percentOfLimit != nil }
      return rated.isEmpty ? nil : (kernel, rated)
    }
  }

  /// `roofline.svg`: per kernel, a bar per ladder rung at its rate's share of
  /// the limit that bounds it (peak multiply-add for flop-counted kernels,
  /// STREAM bandwidth for byte-counted ones), on a log scale whose right edge
  /// is the roof. What is left between a bar and the roof is what the rung
  /// leaves on the table.
  var svg: String {
    let width = 1200.0
    let rowHeight = 22.0
    let groups = rows
    let rowCount = groups.reduce(0) { $0 + $1.cells.count + 1 }
    let top = 96.0
    let height = top + Double(max(rowCount, 1)) * rowHeight + 64
    var svg = SVGDocument(width: width, height: height)
    svg.text("How close each rung comes to the machine", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Each ladder rung's rate (declared work ÷ median time) as a share of the ceiling its kernel declares, measured in the same run at its build's instructions: the multiply-add peak, one divide (and one square root) an item, or the bandwidth of the level that holds the data; each kernel's line names it.",
      x: 24, y: 52, size: 13, fill: "#555555")
    svg.text(
      "Limits scale with the rung's threads; above 100% a working set fits in cache, which outruns memory.",
      x: 24, y: 70, size: 13, fill: "#555555")
    let labelWidth = 190.0
    let scale = LogScale(covering: [0.1, 100], start: 24 + labelWidth, end: width - 260)
    let bottom = top + Double(max(rowCount, 1)) * rowHeight
    for tick in scale.ticks where tick.major || tick.value == 50 {
      svg.line(scale(tick.value), top, scale(tick.value), bottom, stroke: Palette.grid)
      svg.text(
        tickNumber(tick.value) + "%", x: scale(tick.value), y: bottom + 16, size: 12, anchor: .middle,
        fill: "#444444")
    }
    svg.line(scale(100), top - 6, scale(100), bottom, stroke: "#b00020", width: 2, dash: "5 3")
    svg.text("the roof: 100% of the limit", x: scale(100), y: top - 10, size: 12, anchor: .middle, fill: "#b00020")
    svg.text(
      "share of the limit (log scale)", x: (scale.start + scale.end) / 2, y: bottom + 36, size: 13,
      anchor: .middle)
    if groups.isEmpty {
      svg.text(
        "No cell has a share of a limit: limits are measured by the release and native builds.", x: 40,
        y: top + 16, size: 14, italic: true, mark: "missing")
    }
    var y = top
    for (kernel, cells) in groups {
      let ceiling = Kernels.kernel(named: kernel).map { " — \($0.ceiling.phrase)" } ?? ""
      svg.text(kernel + ceiling, x: 24, y: y + rowHeight - 6, size: 14, weight: "bold")
      y += rowHeight
      for cell in cells {
        let rate = cell.rate!
        let percent = rate.percentOfLimit!
        svg.text(cell.id.rung, x: scale.start - 8, y: y + rowHeight / 2 + 4, size: 12.5, anchor: .end)
        let (colour, opacity) = (Palette.colour(of: cell.id.flavour), cell.id.build == .debug ? 0.35 : 1.0)
        svg.rect(
          x: scale.start, y: y + 3, width: scale(percent) - scale.start, height: rowHeight - 6, fill: colour,
          opacity: opacity, mark: "share",
          data: ["cell": cell.id.description, "percent": String(percent), "rate": String(rate.value)],
          tooltip: "\(cell.id.rung): \(rate.formatted), \(formatLimitShare(percent)) of \(rate.limit ?? "the limit")")
        svg.text(
          "\(formatLimitShare(percent)) · \(rate.formatted)", x: scale.end + 10, y: y + rowHeight / 2 + 4,
          size: 12, mark: "value", data: ["cell": cell.id.description])
        y += rowHeight
      }
    }
    return svg.rendered(
      chart: "roofline", title: "How close each rung comes to the machine",
      summary: "For each kernel's ladder, every rung's rate as a percentage of this machine's measured limit.")
  }
}
