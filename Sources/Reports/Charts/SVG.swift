// A small SVG writer for the report's charts: elements as text, scales, axes
// and a colour-blind-safe palette. No dependencies, no scripts, no fonts to fetch.

import Foundation
import KernelKit
import MeasurementKit

// MARK: - Document

/// An SVG document built element by element. Every chart is a plain string of
/// SVG so that it can be written to its own file and inlined in the HTML page
/// unchanged (no `id`s, so several can share one page).
struct SVGDocument {
  var width: Double
  var height: Double
  private(set) var body = ""

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// The finished document. `title` and `summary` are read by screen readers
  /// and shown as tooltips; `data-chart` names the chart for tests and readers.
  func rendered(chart: String, title: String, summary: String) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" \
    viewBox="0 0 \(n(width)) \(n(height))" role="img" data-chart="\(xmlEscaped(chart))" \
    font-family="DejaVu Sans, Verdana, Helvetica, Arial, sans-serif" font-size="13">
    <title>\(xmlEscaped(title))</title>
    <desc>\(xmlEscaped(summary))</desc>
    <rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#ffffff"/>
    \(body)</svg>

    """
  }

  // MARK: - Elements

  /// A data mark or decoration. `data` become `data-…` attributes, `tooltip`
  /// a child `<title>` (what a browser shows on hover).
  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, opacity: Double? = nil, mark: String? = nil,
    data: KeyValuePairs<String, String> = [:], tooltip: String? = nil
  ) {
    var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" fill=\"\(fill)\""
    if let stroke { attributes += " stroke=\"\(stroke)\"" }
    if let opacity { attributes += " fill-opacity=\"\(n(opacity))\"" }
    element("rect", attributes, mark: mark, data: data, tooltip: tooltip)
  }

  mutating func circle(
    cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
    mark: String? = nil, data: KeyValuePairs<String, String> = [:], tooltip: String? = nil
  ) {
    var attributes = "cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\""
    if let stroke { attributes += " stroke=\"\(stroke)\" stroke-width=\"1.5\"" }
    element("circle", attributes, mark: mark, data: data, tooltip: tooltip)
  }

  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
    stroke: String = "#444444", width: Double = 1, dash: String? = nil
  ) {
    var attributes = "x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
    if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
    element("line", attributes)
  }

  mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil, mark: String? = nil
  ) {
    guard points.count > 1 else { return }
    let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    var attributes = "points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
    if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
    element("polyline", attributes, mark: mark)
  }

  enum Anchor: String { case start, middle, end }

  /// Text; `mark` and `data` tie a printed value to its data point.
  package mutating func text(
    _ content: String, x: Double, y: Double, size: Double = 13, anchor: Anchor = .start,
    weight: String? = nil, fill: String = "#222222", rotate: Double? = nil, italic: Bool = false,
    mark: String? = nil, data: KeyValuePairs<String, String> = [:]
  ) {
    var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
    if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
    if let weight { attributes += " font-weight=\"\(weight)\"" }
    if italic { attributes += " font-style=\"italic\"" }
    if let rotate { attributes += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
    attributes += markAttributes(mark: mark, data: data)
    body += "<text \(attributes)>\(xmlEscaped(content))</text>\n"
  }

  private mutating func element(
    _ name: String, _ attributes: String, mark: String? = nil,
    data: KeyValuePairs<String, String> = [:], tooltip: String? = nil
  ) {
    let all = attributes + markAttributes(mark: mark, data: data)
    if let tooltip {
      body += "<\(name) \(all)><title>\(xmlEscaped(tooltip))</title></\(name)>\n"
    } else {
      body += "<\(name) \(all)/>\n"
    }
  }

  private func markAttributes(mark: String?, data: KeyValuePairs<String, String>) -> String {
    var out = mark.map { " class=\"\($0)\"" } ?? ""
    for (key, value) in data { out += " data-\(key)=\"\(xmlEscaped(value))\"" }
    return out
  }
}

/// Escapes text for XML content and attribute values.
func xmlEscaped(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.count)
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(character)
    }
  }
  return out
}

/// A coordinate: one decimal, no exponent, no trailing `.0`. A value no
/// chart should produce (NaN, infinite, beyond a billion pixels: a scale
/// over zero or absurd times) is clamped rather than trapping in `Int(_:)`.
private func n(_ value: Double) -> String {
  let finite = value.isNaN ? 0 : min(max(value, -1e9), 1e9)
  let rounded = (finite * 10).rounded() / 10
  return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
}

/// Rough width of `text` at `size` in a sans-serif face: for layout, not for exactness.
func textWidth(_ text: String, size: Double = 13) -> Double { Double(text.count) * size * 0.64 }

// MARK: - Colours

/// Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
enum Palette {
  static let orange = "#E69F00"
  static let skyBlue = "#56B4E9"
  static let green = "#009E73"
  static let yellow = "#F0E442"
  static let blue = "#0072B2"
  static let vermillion = "#D55E00"
  static let purple = "#CC79A7"
  static let grey = "#999999"
  static let ink = "#222222"
  static let grid = "#e3e3e3"
  static let missing = "#f2f2f2"

  /// One colour per flavour, the same in every chart.
  static func colour(of flavour: Flavour) -> String {
    switch flavour {
    case .idiomatic: orange
    case .unsafe: blue
    case .c: green
    case .vector: vermillion
    case .cVector: purple
    }
  }

  /// Viridis (perceptually uniform, colour-blind safe), `t` in 0…1.
  static func viridis(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [
      (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
      (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]
    let position = (t.isNaN ? 0 : min(max(t, 0), 1)) * Double(stops.count - 1)
    let index = min(Int(position), stops.count - 2)
    let f = position - Double(index)
    let (a, b) = (stops[index], stops[index + 1])
    func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
    return String(format: "#%02X%02X%02X", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
  }

  /// Dark or light text, whichever reads on a viridis colour at `t`.
  static func ink(onViridis t: Double) -> String { t < 0.62 ? "#ffffff" : "#111111" }
}

// MARK: - Scales

/// A logarithmic axis from `low` to `high` (positive values) onto `start…end` pixels.
struct LogScale {
  var low: Double
  var high: Double
  var start: Double
  var end: Double

  /// Whole decades around `values`, so ticks fall on 1, 10, 100 of a unit.
  init(covering values: [Double], start: Double, end: Double) {
    // Within 1e-300…1e300, so that a decade beyond either end is still finite.
    let positive = values.filter { $0 > 0 && $0.isFinite }.map { min(max($0, 1e-300), 1e300) }
    let lo = positive.min() ?? 1e-3
    let hi = positive.max() ?? 1
    // The nearest 1, 2 or 5 × a power of ten outside the data on each side.
    let decadeLow = pow(10, floor(log10(lo)))
    low = [5.0, 2, 1].map { $0 * decadeLow }.first { $0 <= lo } ?? decadeLow
    let decadeHigh = pow(10, floor(log10(hi)))
    high = [1.0, 2, 5, 10].map { $0 * decadeHigh }.first { $0 >= hi * 1.0001 } ?? decadeHigh * 10
    if high <= low { high = low * 10 }
    self.start = start
    self.end = end
  }

  func callAsFunction(_ value: Double) -> Double {
    let clamped = min(max(value, low), high)
    return start + (log10(clamped) - log10(low)) / (log10(high) - log10(low)) * (end - start)
  }

  /// Decades (major) and 2×, 5× (minor) tick values within the axis.
  var ticks: [(value: Double, major: Bool)] {
    var out: [(Double, Bool)] = []
    var decade = pow(10, floor(log10(low) + 1e-9))
    while decade <= high * 1.0001, decade.isFinite, decade > 0, out.count < 1000 {
      for (step, major) in [(1.0, true), (2, false), (5, false)] {
        let value = decade * step
        if value >= low * 0.9999 && value <= high * 1.0001 { out.append((value, major)) }
      }
      decade *= 10
    }
    return out
  }
}

/// A linear axis.
struct LinearScale {
  var low: Double
  var high: Double
  var start: Double
  var end: Double

  func callAsFunction(_ value: Double) -> Double {
    start + (value - low) / (high - low) * (end - start)
  }

  /// About `count` ticks at 1, 2 or 5 × a power of ten.
  func ticks(count: Int = 5) -> [Double] {
    let raw = (high - low) / Double(max(count, 1))
    guard raw > 0, raw.isFinite, low.isFinite else { return low.isFinite ? [low] : [] }
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var out: [Double] = []
    var value = (low / step).rounded(.up) * step
    while value <= high + step * 1e-9, out.count <= 10 * max(count, 1) {
      out.append(value)
      value += step
    }
    return out
  }
}

/// An axis tick for a time: `1 ms`, `20 µs`, `5 s` (a round value, so no
/// significant-digit padding as in data labels).
func tickLabel(seconds: Double) -> String {
  let (value, unit) = timeInUnit(seconds)
  return "\(tickNumber(value)) \(unit)"
}

/// `1`, `2.5`, `0.2`: a tick value without trailing zeros.
func tickNumber(_ value: Double) -> String {
  guard value.isFinite, abs(value) < 1e15 else { return String(format: "%g", value) }
  let rounded = (value * 1000).rounded() / 1000
  if rounded == rounded.rounded() { return String(Int(rounded)) }
  var text = String(format: "%.3f", rounded)
  while text.hasSuffix("0") { text.removeLast() }
  return text
}
