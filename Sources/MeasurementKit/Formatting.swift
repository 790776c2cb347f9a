// How numbers read in tables: the same rounding everywhere.

import Foundation
import KernelKit

/// `812 ms`, `1.23 s`, `45.6 µs`: three significant digits and a unit.
package func formatSeconds(_ seconds: Double) -> String {
  // Rounded before the unit is chosen, so 0.99996 s reads 1.00 s, not 1000 ms.
  let (value, unit) = timeInUnit(roundedToSignificant(seconds))
  return "\(significant(value)) \(unit)"
}

/// `45 s`, `2 min 05 s`: a wall-clock span a person waits for, to the second.
package func formatDuration(_ seconds: Double) -> String {
  let whole = Int(max(0, seconds).rounded())
  return whole < 60 ? "\(whole) s" : String(format: "%d min %02d s", whole / 60, whole % 60)
}

/// A time in the largest unit (s, ms, µs, ns) that keeps it at 1 or more.
package func timeInUnit(_ seconds: Double) -> (value: Double, unit: String) {
  switch seconds {
  case 1...: (seconds, "s")
  case 1e-3...: (seconds * 1e3, "ms")
  case 1e-6...: (seconds * 1e6, "µs")
  default: (seconds * 1e9, "ns")
  }
}

/// `57.6×`, `1.02×`, `281×`: a speed-up with three significant digits.
package func formatRatio(_ ratio: Double) -> String {
  guard ratio.isFinite, ratio > 0 else { return "—" }
  return significant(ratio) + "×"
}

/// `4.2%`.
package func formatPercent(_ fraction: Double) -> String {
  String(format: "%.1f%%", fraction * 100)
}

/// `value` rounded to three significant digits.
func roundedToSignificant(_ value: Double) -> Double {
  guard value.isFinite, value != 0 else { return value }
  return Double(String(format: "%.3g", value)) ?? value
}

/// "1 sample", "5 samples": a count and its noun, singular for one.
package func counted(_ count: Int, _ noun: String) -> String {
  "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// Three significant digits, no exponent: 1.23, 12.3, 123, 1234.
package func significant(_ value: Double) -> String {
  // Rounded before the width is chosen, so 9.9996 reads 10.0, not 10.00.
  let value = roundedToSignificant(value)
  return switch abs(value) {
  case 100...: String(format: "%.0f", value)
  case 10...: String(format: "%.1f", value)
  default: String(format: "%.2f", value)
  }
}

extension String {
  /// Left-aligned in `width` columns (by characters, not bytes).
  package func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  /// Right-aligned in `width` columns.
  package func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

/// A share of a machine limit, given in percent: `7%`, `83%`, `>100%` (a
/// working set that fits in cache outruns the memory bandwidth it is read against).
package func formatLimitShare(_ percent: Double) -> String {
  percent > 100 ? ">100%" : percent < 1 ? String(format: "%.1f%%", percent) : String(format: "%.0f%%", percent)
}
