// Thread scaling: per kernel, speed-up over one thread against the thread
// count, the ideal line, and Amdahl's law fitted to the points.

import Foundation
import KernelKit
import MeasurementKit

/// The thread-scaling chart of one run: a panel per kernel.
struct ScalingChart {
  var data: ChartData

  init(_ data: ChartData) { self.data = data }

  private var results: RunResults { data.results }

  /// `scaling.svg`: one small panel per kernel, all on the same axes.
  var svg: String {
    let width = 1200.0
    let columns = 4
    let panelWidth = (width - 40) / Double(columns)
    let panelHeight = 280.0
    let top = 104.0
    let names = results.kernels
    let panelRows = max((names.count + columns - 1) / columns, 1)
    let height = top + Double(panelRows) * panelHeight + 20
    let cores = results.provenance.cores
    let threads = results.settings.threads
    let maxThreads = max(threads.max() ?? 1, 2)
    var svg = SVGDocument(width: width, height: height)
    svg.text("Thread scaling: speed-up over one thread", x: 24, y: 30, size: 20, weight: "bold")
    svg.text(
      "Release build, C flavour (else the series with most thread counts), on \(cores) cores. Amdahl's law fitted by least squares to the points, with n = min(threads, cores).",
      x: 24, y: 52, size: 13, fill: "#555555")
    // The shared legend.
    var x = 24.0
    let legendY = 78.0
    svg.circle(cx: x + 8, cy: legendY - 4, r: 5, fill: Palette.blue)
    svg.text("measured", x: x + 20, y: legendY, size: 13)
    x += 110
    svg.line(x, legendY - 4, x + 30, legendY - 4, stroke: "#555555", width: 1.5, dash: "6 4")
    let idealText = "ideal: linear up to \(cores) cores, then flat"
    svg.text(idealText, x: x + 38, y: legendY, size: 13)
    x += 38 + textWidth(idealText) + 20
    svg.line(x, legendY - 4, x + 30, legendY - 4, stroke: Palette.vermillion, width: 2.5)
    let fitText = "Amdahl fit, s = fitted serial fraction"
    svg.text(fitText, x: x + 38, y: legendY, size: 13)
    x += 38 + textWidth(fitText) + 20
    if maxThreads > cores {
      svg.rect(x: x, y: legendY - 12, width: 22, height: 14, fill: "#f3f3f3", stroke: "#dddddd")
      svg.text("more threads than cores", x: x + 28, y: legendY, size: 13)
    }

    let allSpeedups = names.flatMap { kernel in
      data.scalingSeries(for: kernel).map { data.scalingPoints(kernel: kernel, build: $0.build, flavour: $0.flavour).map(\.speedup) } ?? []
    }
    let yMax = max(Double(min(cores, maxThreads)), allSpeedups.max() ?? 1).rounded(.up) + 0.5
    for (i, kernel) in names.enumerated() {
      let left = 20 + Double(i % columns) * panelWidth
      let panelTop = top + Double(i / columns) * panelHeight
      drawScalingPanel(
        &svg, kernel: kernel, frame: (left + 58, panelTop + 34, left + panelWidth - 16, panelTop + panelHeight - 58),
        maxThreads: maxThreads, yMax: yMax, cores: cores)
    }
    if names.isEmpty {
      svg.text("No cells measured.", x: 60, y: top + 40, size: 15, italic: true, mark: "missing")
    }
    return svg.rendered(
      chart: "scaling", title: "Thread scaling",
      summary: "Speed-up over one thread against thread count, per kernel, with the ideal line and a fitted Amdahl curve.")
  }

  private func drawScalingPanel(
    _ svg: inout SVGDocument, kernel: String, frame: (left: Double, top: Double, right: Double, bottom: Double),
    maxThreads: Int, yMax: Double, cores: Int
  ) {
    let xs = LinearScale(low: 0.5, high: Double(maxThreads) + 0.5, start: frame.left, end: frame.right)
    let ys = LinearScale(low: 0, high: yMax, start: frame.bottom, end: frame.top)
    let series = data.scalingSeries(for: kernel)
    let title = series.map { "\(kernel) · \($0.build.rawValue) \(flavourName($0.flavour))" } ?? kernel
    svg.text(title, x: frame.left, y: frame.top - 14, size: 14, weight: "bold")
    // Oversubscribed region.
    if maxThreads > cores {
      svg.rect(
        x: xs(Double(cores) + 0.5), y: frame.top, width: frame.right - xs(Double(cores) + 0.5),
        height: frame.bottom - frame.top, fill: "#f3f3f3")
    }
    for tick in ys.ticks(count: 4) {
      svg.line(frame.left, ys(tick), frame.right, ys(tick), stroke: Palette.grid)
      svg.text(tickNumber(tick) + "×", x: frame.left - 6, y: ys(tick) + 4, size: 12, anchor: .end, fill: "#444444")
    }
    for n in 1...maxThreads {
      svg.line(xs(Double(n)), frame.bottom, xs(Double(n)), frame.bottom + 4, stroke: "#333333")
      svg.text("\(n)", x: xs(Double(n)), y: frame.bottom + 18, size: 12, anchor: .middle, fill: "#444444")
    }
    svg.line(frame.left, frame.bottom, frame.right, frame.bottom, stroke: "#333333")
    svg.line(frame.left, frame.top, frame.left, frame.bottom, stroke: "#333333")
    svg.text("threads", x: (frame.left + frame.right) / 2, y: frame.bottom + 36, size: 13, anchor: .middle)
    svg.text(
      "speed-up (×)", x: frame.left - 40, y: (frame.top + frame.bottom) / 2, size: 13, anchor: .middle,
      rotate: -90)
    // Ideal.
    let ideal = [(1.0, 1.0), (Double(min(cores, maxThreads)), Double(min(cores, maxThreads))), (Double(maxThreads), Double(min(cores, maxThreads)))]
    svg.polyline(ideal.map { (xs($0.0), ys($0.1)) }, stroke: "#555555", width: 1.5, dash: "6 4", mark: "ideal")

    guard let series else {
      svg.text("no thread scaling: fewer than", x: frame.left + 10, y: frame.top + 40, size: 12, fill: "#555555", italic: true, mark: "missing")
      svg.text("two thread counts measured", x: frame.left + 10, y: frame.top + 56, size: 12, fill: "#555555", italic: true)
      return
    }
    let points = data.scalingPoints(kernel: kernel, build: series.build, flavour: series.flavour)
    if let fit = AmdahlFit(points: points.map { ($0.threads, $0.speedup) }, cores: cores) {
      let curve = stride(from: 1.0, through: Double(maxThreads), by: 0.05).map { (xs($0), ys(fit.speedup(threads: $0))) }
      svg.polyline(curve, stroke: Palette.vermillion, width: 2.5, mark: "amdahl")
      svg.text(
        "Amdahl fit: s = \(formatPercent(fit.serialFraction))", x: frame.left + 8, y: frame.top + 16, size: 13,
        weight: "bold", fill: Palette.vermillion, mark: "serial-fraction",
        data: ["kernel": kernel, "serial": String(fit.serialFraction)])
    }
    for point in points {
      svg.circle(
        cx: xs(Double(point.threads)), cy: ys(point.speedup), r: 5.5, fill: Palette.blue, stroke: "#ffffff",
        mark: "point", data: ["cell": point.id.description, "speedup": String(point.speedup)],
        tooltip: "\(point.id.rung): \(formatRatio(point.speedup)) over 1 thread")
      // The one-thread point's label sits below right, clear of the lines and the axis.
      let single = point.threads == 1
      svg.text(
        formatRatio(point.speedup), x: xs(Double(point.threads)) + (single ? 4 : 0),
        y: ys(point.speedup) + (single ? 20 : -10), size: 11.5, anchor: single ? .start : .middle,
        fill: Palette.blue, mark: "value", data: ["cell": point.id.description])
    }
    let absent = results.settings.threads.filter { n in !points.contains { $0.threads == n } }
    if !absent.isEmpty {
      svg.text(
        "missing: \(absent.map(String.init).joined(separator: ", ")) thread(s)", x: frame.left + 8, y: frame.top + 34,
        size: 12, fill: "#555555", italic: true, mark: "missing")
    }
  }
}
