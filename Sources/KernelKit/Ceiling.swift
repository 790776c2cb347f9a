// The hardware limit that binds a kernel.

/// Which of the machine's measured limits bounds a kernel, and how to count
/// its work against it. The harness measures each limit in the same run, at
/// each build's instruction set (`MachineLimits`), and reads every cell as a
/// share of its kernel's ceiling.
///
/// A ceiling counts in the kernel's own units where that is truer than
/// flops: an nbody pair costs one divide and one square root whatever the
/// multiply-adds around them, so pairs a second against the divider's rate
/// say how close the kernel is to its limit; flops against the multiply-add
/// peak would not.
public enum Ceiling: Sendable {
  /// The multiply-add peak: the kernel's work is flops.
  case multiplyAdd
  /// Triad bandwidth at the level of the memory hierarchy that holds the
  /// kernel's data: `footprint(size)` is the bytes it touches, which pick
  /// the level (L1, L2, last-level cache or memory). The work is bytes.
  case bandwidth(footprint: @Sendable (Int) -> Double)
  /// One divide per `item` (e.g. "matrix entry"), `items(size)` of them a run.
  case divide(item: String, items: @Sendable (Int) -> Double)
  /// One divide and one square root per `item` (e.g. "pair").
  case divideAndSquareRoot(item: String, items: @Sendable (Int) -> Double)
  /// No limit the harness measures binds it; the reason, in a few words
  /// ("allocation-bound", "hashing").
  case none(String)

  /// A few words: "multiply-add", "divide", …
  public var name: String {
    switch self {
    case .multiplyAdd: "multiply-add"
    case .bandwidth: "bandwidth"
    case .divide: "divide"
    case .divideAndSquareRoot: "divide + square root"
    case .none: "none"
    }
  }

  /// What a report's kernel line says the limit column reads against:
  /// "limit: multiply-add peak", "limit: none (hashing: no measured ceiling)".
  public var phrase: String {
    switch self {
    case .multiplyAdd: "limit: multiply-add peak"
    case .bandwidth: "limit: bandwidth of the level that holds the data"
    case .divide(let item, _): "limit: one divide a \(item)"
    case .divideAndSquareRoot(let item, _): "limit: one divide and one square root a \(item)"
    case .none(let why): "limit: none (\(why))"
    }
  }
}
