// How the steps compound over the kernels, and how far each rung is from CPython.

import Foundation
import MeasurementKit

/// The summary under the tables: each step's gain over the kernels (geometric
/// mean, least and most), the whole climb, what the steps buy nothing on,
/// where Swift and C part, and, when the run has Python rungs, how far each
/// rung is from CPython.
package struct CompoundingSummary: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// How the steps multiply: geometric mean over kernels, range, product;
  /// then, when the run has Python rungs, how far each rung is from CPython.
  package var text: String {
    [swiftText, PythonComparisons(results).text].filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  /// The Swift ladder's steps: each one's gain, the whole climb and the findings.
  private var swiftText: String {
    let ladder = LadderView(results)
    let summaries = ladder.compounding.filter { !$0.gains.isEmpty }
    guard !summaries.isEmpty else {
      return "How the steps compound: not enough cells measured (each step needs both its cells)."
    }
    var out = "How the steps compound (geometric mean over the kernels that have the step; least … most)\n"
    for summary in summaries {
      let range =
        if let least = summary.least, let most = summary.most, summary.gains.count > 1 {
          "\(least.kernel) \(formatRatio(least.gain)) … \(most.kernel) \(formatRatio(most.gain))"
        } else if let only = summary.gains.first { "\(only.kernel) only" } else { "" }
      let mean = formatRatio(summary.geometricMean)
      out += "  " + summary.name.padded(14) + mean.leftPadded(8) + "   " + summary.what.padded(53) + range + "\n"
    }
    let chain = summaries.map { "\($0.name) \(formatRatio($0.geometricMean))" }.joined(separator: " · ")
    let climbs = ladder.climbs
    if !climbs.isEmpty {
      let overall = formatRatio(geometricMean(climbs.map(\.gain)))
      let bottoms = Set(climbs.map(\.from.rung)).sorted().joined(separator: " or ")
      let tops = Set(climbs.map(\.to.rung)).sorted().joined(separator: " or ")
      out += "  → \(chain) → \(overall) overall from \(bottoms) to \(tops)"
      out += " (geometric mean of each kernel's climb)\n"
    }
    for summary in summaries {
      let mean = summary.geometricMean
      if mean < 0.95 {
        out += "  Finding: \(summary.name) costs time on average (\(formatRatio(mean))).\n"
      } else if mean < 1.05 {
        out += "  Finding: \(summary.name) buys nothing on average (\(formatRatio(mean))): \(summary.what).\n"
      } else if !summary.buysNothingOn.isEmpty {
        out += "  Finding: \(summary.name) buys nothing (< 1.05×) on \(summary.buysNothingOn.joined(separator: ", ")).\n"
      }
    }
    for pair in ladder.swiftVersusC where pair.ratio > 1.10 || pair.ratio < 1 / 1.10 {
      let (slower, faster) = pair.ratio > 1 ? ("Swift", "C") : ("C", "Swift")
      let gap = formatRatio(pair.ratio > 1 ? pair.ratio : 1 / pair.ratio)
      out += "  Finding: on \(pair.kernel), \(slower) is \(gap) behind \(faster) (\(pair.swift.rung) vs \(pair.c.rung)).\n"
    }
    return String(out.dropLast())
  }
}
