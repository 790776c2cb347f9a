// The heat map: kernels × configurations, each cell coloured by its speed-up
// over the kernel's first rung (debug·idiomatic·1) and printing that speed-up.

import Foundation
import KernelKit
import MeasurementKit

/// The heat map of one run: every cell's speed-up over its kernel's first rung.
struct HeatMapChart {
  var data: ChartData

  init(_ data: ChartData) { self.data = data }

  private var results: RunResults { data.results }

  /// `heatmap.svg`. Colour is viridis on a log scale of the speed-up; the
  /// value printed is the table's `× first rung`, with the table's rounding.
  var svg: String {
    let columns = data.configurations
    let rows = results.kernels
    let labelWidth = 150.0
    let width = 1200.0
    let cellWidth = columns.isEmpty ? 0 : min(110, (width - labelWidth - 40) / Double(columns.count))
    let cellHeight = 34.0
    let top = 150.0
    let gridBottom = top + Double(rows.count) * cellHeight
    let height = gridBottom + 124
    var svg = SVGDocument(width: width, height: height)
    svg.text("Speed-up over debug·idiomatic·1, every cell", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Each cell: how many times faster than the kernel's debug·idiomatic·1 cell (median ÷ median); colour on a log scale.",
      x: 24, y: 52, size: 13, fill: "#555555")

    // Every speed-up shown, for the colour scale.
    var values: [String: Double] = [:]
    for kernel in rows {
      guard let base = data.baseline(for: kernel) else { continue }
      for column in columns {
        let id = CellID(kernel: kernel, flavour: column.flavour, build: column.build, threads: column.threads)
        if let gain = results.speedup(from: base, to: id) { values[id.description] = gain }
      }
    }
    let logs = values.values.map(log10)
    let (lowLog, highLog) = (min(logs.min() ?? 0, 0), max(logs.max() ?? 1, 0.001))
    func position(_ gain: Double) -> Double { (log10(gain) - lowLog) / (highLog - lowLog) }

    // Column headers: build, then flavour, then threads.
    let x0 = labelWidth
    func columnX(_ index: Int) -> Double { x0 + Double(index) * cellWidth }
    var index = 0
    while index < columns.count {
      let build = columns[index].build
      let end = columns[index...].firstIndex { $0.build != build } ?? columns.count
      let (left, right) = (columnX(index), columnX(end))
      svg.text(build.rawValue + " build", x: (left + right) / 2, y: top - 62, size: 14, anchor: .middle, weight: "bold")
      svg.line(left + 3, top - 56, right - 3, top - 56, stroke: "#333333")
      var inner = index
      while inner < end {
        let flavour = columns[inner].flavour
        let stop = columns[inner..<end].firstIndex { $0.flavour != flavour } ?? end
        let (a, b) = (columnX(inner), columnX(stop))
        svg.text(flavourName(flavour), x: (a + b) / 2, y: top - 36, size: 13, anchor: .middle)
        svg.line(a + 3, top - 30, b - 3, top - 30, stroke: "#999999")
        inner = stop
      }
      index = end
    }
    for (i, column) in columns.enumerated() {
      svg.text(
        "\(column.threads)", x: columnX(i) + cellWidth / 2, y: top - 10, size: 12, anchor: .middle, fill: "#444444")
    }
    svg.text("threads →", x: x0 - 8, y: top - 10, size: 12, anchor: .end, fill: "#444444")

    // The cells.
    var otherBaselines: [String] = []
    for (r, kernel) in rows.enumerated() {
      let y = top + Double(r) * cellHeight
      let base = data.baseline(for: kernel)
      // A kernel without its debug·idiomatic·1 cell is measured from its first timed rung, as in its table.
      let marked = base.map { $0.build != .debug || $0.flavour != .idiomatic || $0.threads != 1 } ?? false
      if marked, let base { otherBaselines.append("\(kernel): \(base.rung)") }
      svg.text(kernel + (marked ? " *" : ""), x: x0 - 10, y: y + cellHeight / 2 + 5, size: 14, anchor: .end)
      for (i, column) in columns.enumerated() {
        let id = CellID(kernel: kernel, flavour: column.flavour, build: column.build, threads: column.threads)
        let x = columnX(i)
        if let gain = values[id.description] {
          let t = position(gain)
          svg.rect(
            x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, fill: Palette.viridis(t),
            mark: "heat", data: ["cell": id.description, "speedup": String(gain)],
            tooltip: "\(id.rung): \(formatRatio(gain)) over \(base?.rung ?? "")")
          svg.text(
            formatRatio(gain), x: x + cellWidth / 2, y: y + cellHeight / 2 + 4.5,
            size: cellWidth < 46 ? 11 : 12.5, anchor: .middle, fill: Palette.ink(onViridis: t),
            mark: "value", data: ["cell": id.description])
        } else {
          let reason = results.cell(id).map { $0.failed ? "FAIL" : "—" } ?? "n/m"
          svg.rect(
            x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, fill: Palette.missing,
            stroke: "#cccccc", mark: "missing", data: ["cell": id.description],
            tooltip: "\(id.rung): \(results.cell(id).map { $0.failed ? "FAIL: \($0.verification.detail)" : "no baseline" } ?? "not measured")")
          svg.text(reason, x: x + cellWidth / 2, y: y + cellHeight / 2 + 4.5, size: 11, anchor: .middle, fill: "#555555")
        }
      }
    }
    if rows.isEmpty || columns.isEmpty {
      svg.text("No cells measured.", x: x0, y: top + 24, size: 15, italic: true, mark: "missing")
    }

    // The colour key.
    let keyY = gridBottom + 40
    let keyX = x0
    let keyWidth = 420.0
    let steps = 60
    for step in 0..<steps {
      let t = Double(step) / Double(steps - 1)
      svg.rect(
        x: keyX + Double(step) * keyWidth / Double(steps), y: keyY, width: keyWidth / Double(steps) + 0.6,
        height: 14, fill: Palette.viridis(t))
    }
    let key = LinearScale(low: lowLog, high: highLog, start: keyX, end: keyX + keyWidth)
    var exponent = ceil(lowLog)
    while exponent <= floor(highLog) + 1e-9 {
      let x = key(exponent)
      svg.line(x, keyY + 14, x, keyY + 19, stroke: "#333333")
      svg.text(tickNumber(pow(10, exponent)) + "×", x: x, y: keyY + 32, size: 12, anchor: .middle)
      exponent += 1
    }
    svg.text(
      "speed-up over debug·idiomatic·1 (log scale)", x: keyX + keyWidth + 16, y: keyY + 12, size: 13, weight: "bold")
    svg.text(
      "n/m = not measured · FAIL = wrong answer or crash", x: keyX + keyWidth + 16, y: keyY + 32, size: 12,
      fill: "#555555")
    if !otherBaselines.isEmpty {
      svg.text(
        "* no debug·idiomatic·1 cell; over the first measured rung instead: " + otherBaselines.joined(separator: ", "),
        x: keyX, y: keyY + 56, size: 12, fill: "#555555", mark: "note")
    }
    return svg.rendered(
      chart: "heatmap", title: "Speed-up over debug·idiomatic·1",
      summary: "Kernels by build, flavour and thread count; each cell's colour and number is its speed-up.")
  }
}

/// `idiomatic`, `unsafe`, `C`…: how charts name a flavour.
func flavourName(_ flavour: Flavour) -> String { flavour.displayName }
