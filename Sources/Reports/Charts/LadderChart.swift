// The ladder chart: per kernel, one horizontal bar per rung on a log time
// scale, slowest at the top, each annotated with its gain over the rung above.

import Foundation
import KernelKit
import MeasurementKit

/// The ladder charts of one run: each kernel's on its own time scale, and all of them on one.
struct LadderChart {
  var data: ChartData

  init(_ data: ChartData) { self.data = data }

  private var results: RunResults { data.results }

  // MARK: - Charts

  /// One kernel's ladder on its own time scale (`ladder-KERNEL.svg`).
  func svg(for kernel: String) -> String {
    let rungs = data.rungs(for: kernel)
    let layout = LadderLayout(rowHeight: 34, barHeight: 22)
    let height = 92 + Double(rungs.count) * layout.rowHeight + 58
    var svg = SVGDocument(width: layout.width, height: height)
    let scale = LogScale(covering: rungs.compactMap(\.seconds), start: layout.barStart, end: layout.barEnd)
    svg.text("\(kernel) — the ladder\(sizeNote(kernel))", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Median time per run of each rung, slowest first; beside each bar: its time and, in bold, its speed-up over the rung above.",
      x: 24, y: 52, size: 13, fill: "#555555")
    drawLadderLegend(&svg, y: 74, interpreted: rungs.contains { $0.cell == nil })
    let top = 92.0
    drawTimeGrid(&svg, scale: scale, top: top, bottom: top + Double(rungs.count) * layout.rowHeight, labelsAbove: false)
    _ = drawLadderRows(&svg, rungs: rungs, scale: scale, top: top, layout: layout)
    svg.text(
      totalText(rungs), x: layout.width - 24, y: 30, size: 14, anchor: .end, weight: "bold", mark: "total",
      data: ["kernel": kernel])
    return svg.rendered(
      chart: "ladder", title: "\(kernel): the ladder",
      summary: "Horizontal bars on a log time scale, one per rung: " + rungSummary(rungs))
  }

  /// Every kernel's ladder on one shared time scale (`ladder.svg`): absolute
  /// times compare across kernels as well as along each ladder.
  var overviewSVG: String {
    let layout = LadderLayout(rowHeight: 22, barHeight: 15)
    let ladders = results.kernels.map { ($0, data.rungs(for: $0)) }
    let groupGap = 30.0
    let top = 112.0
    let rows = ladders.reduce(0.0) { $0 + groupGap + Double($1.1.count) * layout.rowHeight }
    let height = top + rows + 64
    var svg = SVGDocument(width: layout.width, height: height)
    let scale = LogScale(
      covering: ladders.flatMap { $0.1.compactMap(\.seconds) }, start: layout.barStart, end: layout.barEnd)
    svg.text("The ladder, every kernel on one time scale", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Median time per run, slowest rung first; beside each bar: its time and, in bold, its speed-up over the rung above; right: the whole ladder's gain.",
      x: 24, y: 52, size: 13, fill: "#555555")
    drawLadderLegend(&svg, y: 74, interpreted: ladders.contains { $0.1.contains { $0.cell == nil } })
    drawTimeGrid(&svg, scale: scale, top: top, bottom: top + rows, labelsAbove: true)
    if ladders.isEmpty {
      svg.text("No cells measured.", x: layout.barStart, y: top + 30, size: 15, italic: true, mark: "missing")
    }
    var y = top
    for (kernel, rungs) in ladders {
      y += groupGap
      svg.text(kernel + sizeNote(kernel), x: 24, y: y - 8, size: 14, weight: "bold")
      svg.text(
        totalText(rungs), x: layout.width - 24, y: y - 8, size: 13, anchor: .end, weight: "bold",
        mark: "total", data: ["kernel": kernel])
      y = drawLadderRows(&svg, rungs: rungs, scale: scale, top: y, layout: layout)
    }
    return svg.rendered(
      chart: "ladder-overview", title: "The ladder of every kernel",
      summary: "Horizontal bars on a shared log time scale, one group per kernel, one bar per rung.")
  }

  // MARK: - Pieces

  private func sizeNote(_ kernel: String) -> String {
    results.cells.first { $0.id.kernel == kernel }.map { " (size \($0.size))" } ?? ""
  }

  /// `debug·idiomatic·1 → release·c·2: 18.5× in all`, the table's `total`.
  private func totalText(_ rungs: [ChartRung]) -> String {
    let timed = rungs.filter { $0.seconds != nil }
    guard let first = timed.first, let last = timed.last, timed.count > 1 else {
      return "total: needs two measured rungs"
    }
    return "\(first.label) → \(last.label): \(formatRatio(first.seconds! / last.seconds!)) in all"
  }

  private func rungSummary(_ rungs: [ChartRung]) -> String {
    rungs.map { "\($0.label) \($0.seconds.map(formatSeconds) ?? $0.missing ?? "")" }.joined(separator: "; ")
  }

  /// Draws the rows of one ladder from `top`; returns the y below them.
  private func drawLadderRows(
    _ svg: inout SVGDocument, rungs: [ChartRung], scale: LogScale, top: Double, layout: LadderLayout
  ) -> Double {
    let gains = data.rungGains(rungs)
    var y = top
    for (rung, gain) in zip(rungs, gains) {
      let middle = y + layout.rowHeight / 2
      let size = layout.rowHeight > 30 ? 14.0 : 12.5
      svg.text(rung.label, x: layout.barStart - 10, y: middle + size * 0.35, size: size, anchor: .end)
      let id = rung.cell?.description ?? rung.label
      if let seconds = rung.seconds {
        let end = scale(seconds)
        let (fill, opacity) = ladderColour(rung)
        svg.rect(
          x: layout.barStart, y: middle - layout.barHeight / 2, width: end - layout.barStart,
          height: layout.barHeight, fill: fill, stroke: opacity < 1 ? fill : nil, opacity: opacity,
          mark: "bar", data: ["cell": id, "seconds": String(seconds)],
          tooltip: "\(rung.label): \(formatSeconds(seconds))")
        svg.text(
          formatSeconds(seconds), x: end + 8, y: middle + size * 0.35, size: size,
          mark: "value", data: ["cell": id])
        if let gain {
          svg.text(
            formatRatio(gain), x: end + 14 + textWidth(formatSeconds(seconds), size: size),
            y: middle + size * 0.35, size: size, weight: "bold", fill: gain < 1 ? Palette.vermillion : Palette.ink,
            mark: "gain", data: ["cell": id])
        }
      } else {
        svg.rect(
          x: layout.barStart, y: middle - layout.barHeight / 2, width: layout.barEnd - layout.barStart,
          height: layout.barHeight, fill: Palette.missing, mark: "missing", data: ["cell": id])
        svg.text(
          rung.missing ?? "missing", x: layout.barStart + 8, y: middle + size * 0.35, size: size - 1,
          fill: "#555555", italic: true, mark: "missing-text", data: ["cell": id])
      }
      y += layout.rowHeight
    }
    return y
  }

  /// The flavour's colour; a debug rung in a light tint of it, outlined.
  private func ladderColour(_ rung: ChartRung) -> (String, Double) {
    guard let id = rung.cell else { return (Palette.purple, 1) }
    return (Palette.colour(of: id.flavour), id.build == .debug ? 0.35 : 1)
  }

  private func drawLadderLegend(_ svg: inout SVGDocument, y: Double, interpreted: Bool) {
    var x = 24.0
    var entries: [(String, String, Double)] = [
      ("idiomatic Swift", Palette.colour(of: .idiomatic), 1),
      ("span Swift", Palette.colour(of: .span), 1),
      ("unsafe Swift", Palette.colour(of: .unsafe), 1),
      ("C", Palette.colour(of: .c), 1),
      ("debug build: light tint", Palette.colour(of: .idiomatic), 0.35),
    ]
    if interpreted { entries.insert(("interpreted (Python)", Palette.purple, 1), at: 4) }
    for (label, colour, opacity) in entries {
      svg.rect(x: x, y: y - 11, width: 22, height: 13, fill: colour, stroke: opacity < 1 ? colour : nil, opacity: opacity)
      svg.text(label, x: x + 28, y: y, size: 13)
      x += 28 + textWidth(label) + 26
    }
    svg.text("·N = threads", x: x, y: y, size: 13, fill: "#555555")
  }

  /// Vertical grid lines and tick labels of a log time axis, with its title.
  private func drawTimeGrid(
    _ svg: inout SVGDocument, scale: LogScale, top: Double, bottom: Double, labelsAbove: Bool
  ) {
    for tick in scale.ticks {
      let x = scale(tick.value)
      svg.line(x, top, x, bottom, stroke: tick.major ? "#bdbdbd" : Palette.grid, width: 1)
      guard tick.major || (scale.high / scale.low) <= 1e4 else { continue }
      let label = tickLabel(seconds: tick.value)
      let fill = tick.major ? "#333333" : "#777777"
      svg.text(label, x: x, y: bottom + 18, size: tick.major ? 13 : 11, anchor: .middle, fill: fill)
      if labelsAbove { svg.text(label, x: x, y: top - 6, size: tick.major ? 13 : 11, anchor: .middle, fill: fill) }
    }
    svg.line(scale.start, bottom, scale.end, bottom, stroke: "#333333")
    svg.text(
      "median time per run, seconds (log scale) — shorter is faster",
      x: (scale.start + scale.end) / 2, y: bottom + 40, size: 14, anchor: .middle, weight: "bold")
  }
}

/// Where a ladder's pieces go, at the report's 1200 px width.
private struct LadderLayout {
  var width = 1200.0
  var rowHeight: Double
  var barHeight: Double
  var barStart = 190.0
  /// Room to the right of the longest bar for its time and gain.
  var barEnd = 1200.0 - 190
}
