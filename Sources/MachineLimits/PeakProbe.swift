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
    // Doubling stops near 5 ms of work, some 10⁷ iterations: far from overflow.
    let rounds = bestRate(budgetSeconds: budgetSeconds, from: 1 << 12, until: 0.005, probe: "multiply-add") {
      ml_multiply_add($0, m, a)
    }
    return 2 * Double(ml_multiply_add_lanes()) * rounds
  }

  /// The best rate of `body(iterations)` in rounds per second, in billions,
  /// over repeated runs within about `budgetSeconds` (at least two): the
  /// divide and square-root probes, whose rounds the caller converts to
  /// operations. The result must be finite and positive.
  static func measureRate(budgetSeconds: Double, _ body: (Int) -> Double) -> Double {
    bestRate(budgetSeconds: budgetSeconds, from: 1 << 8, until: 0.002, probe: "throughput", body)
  }

  /// The loop every compute probe shares: `body(iterations)` timed repeatedly
  /// within about `budgetSeconds` (at least twice), the iterations doubling
  /// from `from` while a run lasts under `until` seconds; the best rate in
  /// billions of iterations per second. `body`'s result is checked finite and
  /// positive: the barrier that keeps the loop, and a sanity check.
  static func bestRate(
    budgetSeconds: Double, from start: Int, until shortRun: Double, probe: String, _ body: (Int) -> Double
  ) -> Double {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(budgetSeconds)
    var iterations = start
    var best = 0.0
    var runs = 0
    while runs < 2 || clock.now < deadline {
      let began = clock.now
      let sum = body(iterations)
      let elapsed = max((clock.now - began).seconds, 1e-9)
      precondition(sum.isFinite && sum > 0, "\(probe) probe returned \(sum)")
      best = max(best, Double(iterations) / elapsed / 1e9)
      runs += 1
      if elapsed < shortRun { iterations *= 2 }
    }
    return best
  }
}
