// Summary statistics of a cell's samples.

import Foundation
import KernelKit

/// Median, spread and noise of a set of timing samples (seconds per run).
package struct SampleStatistics: Codable, Equatable, Sendable {
  package var count: Int
  package var median: Double
  package var min: Double
  package var max: Double
  package var mean: Double
  /// Median absolute deviation from the median (unscaled).
  package var mad: Double
  /// Coefficient of variation: sample standard deviation ÷ mean.
  package var cv: Double

  /// Statistics of `samples`; `samples` must not be empty.
  package init(_ samples: [Double]) {
    precondition(!samples.isEmpty, "statistics of no samples")
    count = samples.count
    let median = Self.median(samples)
    let mean = samples.reduce(0, +) / Double(samples.count)
    self.median = median
    self.mean = mean
    min = samples.min()!
    max = samples.max()!
    mad = Self.median(samples.map { abs($0 - median) })
    if samples.count > 1 && mean > 0 {
      let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
      cv = variance.squareRoot() / mean
    } else {
      cv = 0
    }
  }

  package static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// CV above this marks a cell as noisy.
  package static let noisyCV = 0.05

  package var isNoisy: Bool { cv > Self.noisyCV }
}

/// The geometric mean of positive values (1 for none).
package func geometricMean(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return 1 }
  return exp(values.reduce(0) { $0 + log($1) } / Double(values.count))
}
