// Peak multiply-add throughput: a register-only loop of independent chains.

import CMachineLimits

/// Measures one thread's peak double-precision multiply-add rate with
/// `ml_multiply_add` (CSources/CMachineLimits/probes.c): 14 or 16 independent
/// accumulator chains of the widest vector this build targets, nothing but
/// registers, so the only limit is how many multiply-adds the core issues per
/// cycle. Without FMA in the target each step is a multiply and a dependent add;
/// the flop count (2 per step) is the same, the rate is what the ISA costs.
enum PeakProbe {
  /// The multiplier and addend: acc converges to a / (1 - m) = 1, so every
  /// value stays normal and finite however long the loop runs (a subnormal or
  /// an infinity could take a slow path on some cores).
  static let m = 0.999, a = 0.001

  /// The best GFLOP/s over repeated runs within about `budgetSeconds`.
  ///
  /// Starts with a short run and doubles the iterations until one run lasts
  /// 5 ms (long enough to dwarf the clock and call, short enough that some run
  /// lands between other processes' time slices), then repeats that size. At
  /// least two timed runs happen whatever the budget.
  static func measure(budgetSeconds: Double) -> Double {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(budgetSeconds)
    var iterations = 1 << 12
    var best = 0.0
    var runs = 0
    while runs < 2 || clock.now < deadline {
      let (seconds, gflops) = run(iterations: iterations)
      best = max(best, gflops)
      runs += 1
      // Doubling stops near 5 ms of work, some 10⁷ iterations: far from overflow.
      if seconds < 0.005 { iterations *= 2 }
    }
    return best
  }

  /// One timed call: its seconds and GFLOP/s.
  static func run(iterations: Int) -> (seconds: Double, gflops: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let sum = ml_multiply_add(iterations, m, a)
    let seconds = max((clock.now - start).seconds, 1e-9)
    // The checked result: the barrier that keeps the loop, and a sanity check.
    precondition(sum.isFinite && sum > 0, "multiply-add probe returned \(sum)")
    let flops = 2 * Double(iterations) * Double(ml_multiply_add_lanes())
    return (seconds, flops / seconds / 1e9)
  }

  /// The best rate of `body(iterations)` in rounds per second, in billions,
  /// over repeated runs within about `budgetSeconds` (at least two): the
  /// divide and square-root probes, whose rounds the caller converts to
  /// operations. The result must be finite and positive.
  static func measureRate(budgetSeconds: Double, _ body: (Int) -> Double) -> Double {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(budgetSeconds)
    var iterations = 1 << 8
    var best = 0.0
    var runs = 0
    while runs < 2 || clock.now < deadline {
      let start = clock.now
      let sum = body(iterations)
      let seconds = max((clock.now - start).seconds, 1e-9)
      precondition(sum.isFinite && sum > 0, "throughput probe returned \(sum)")
      best = max(best, Double(iterations) / seconds / 1e9)
      runs += 1
      if seconds < 0.002 { iterations *= 2 }
    }
    return best
  }
}
