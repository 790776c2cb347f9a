// Text forms shared by the kernel definitions.

import Foundation

/// `x` with `places` decimals, exactly as C's `printf("%.*f")` prints it (the
/// Benchmarks Game's references are printed that way).
func formatFixed(_ x: Double, _ places: Int) -> String {
  String(format: "%.\(places)f", x)
}
