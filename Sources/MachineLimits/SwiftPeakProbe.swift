// The multiply-add peak as Swift reaches it: SIMD8<Double> chains in registers.

import CMachineLimits

/// The Swift side of the compute peak: the same loop as `ml_multiply_add`,
/// written with the standard library's `SIMD8<Double>` (64 bytes, whatever the
/// target), 16 chains, so the run's peak is the best that either compiler
/// reaches, and the width swiftc compiled it for can be read back from its code.
///
/// Two bodies: where the C probe says the target fuses multiply-adds (native
/// builds), `addingProduct` is one fused instruction; elsewhere it would be a
/// call to `fma()`, so the baseline body is a separate multiply and add, as
/// the C probe's is.
enum SwiftPeakProbe {
  static let lanes = 8

  /// The best GFLOP/s over repeated runs within about `budgetSeconds` (at
  /// least two runs), like `PeakProbe.measure`.
  static func measure(budgetSeconds: Double) -> Double {
    let fused = ml_fused_multiply_add() != 0
    let body = fused ? ml_swift_multiply_add_fused : ml_swift_multiply_add_separate
    let chains = fused ? 16 : 3
    let rounds = PeakProbe.bestRate(
      budgetSeconds: budgetSeconds, from: 1 << 12, until: 0.005, probe: "Swift multiply-add"
    ) { body($0, PeakProbe.m, PeakProbe.a) }
    return 2 * Double(chains * lanes) * rounds
  }

  /// The widest register the fused body's multiply-adds use, decoded from its
  /// machine code (0 where it has none: a baseline x86-64 build, or not x86).
  static func registerBits() -> Int {
    let body: @convention(c) (Int, Double, Double) -> Double = ml_swift_multiply_add_fused
    return Int(ml_fma_register_bits(unsafeBitCast(body, to: UnsafeRawPointer.self), 2048))
  }
}

/// `iterations` rounds of acc = acc·m + a, fused, on 16 chains of 8 lanes.
/// A C entry point (`@_cdecl`) so that its address is the code itself.
@_cdecl("ml_swift_multiply_add_fused")
func ml_swift_multiply_add_fused(_ iterations: Int, _ m: Double, _ a: Double) -> Double {
  let vm = SIMD8<Double>(repeating: m), va = SIMD8<Double>(repeating: a)
  var c0 = SIMD8<Double>(repeating: 0), c1 = SIMD8<Double>(repeating: 1), c2 = SIMD8<Double>(repeating: 2)
  var c3 = SIMD8<Double>(repeating: 3), c4 = SIMD8<Double>(repeating: 4), c5 = SIMD8<Double>(repeating: 5)
  var c6 = SIMD8<Double>(repeating: 6), c7 = SIMD8<Double>(repeating: 7), c8 = SIMD8<Double>(repeating: 8)
  var c9 = SIMD8<Double>(repeating: 9), c10 = SIMD8<Double>(repeating: 10), c11 = SIMD8<Double>(repeating: 11)
  var c12 = SIMD8<Double>(repeating: 12), c13 = SIMD8<Double>(repeating: 13)
  var c14 = SIMD8<Double>(repeating: 14), c15 = SIMD8<Double>(repeating: 15)
  for _ in 0..<iterations {
    c0 = va.addingProduct(c0, vm); c1 = va.addingProduct(c1, vm); c2 = va.addingProduct(c2, vm)
    c3 = va.addingProduct(c3, vm); c4 = va.addingProduct(c4, vm); c5 = va.addingProduct(c5, vm)
    c6 = va.addingProduct(c6, vm); c7 = va.addingProduct(c7, vm); c8 = va.addingProduct(c8, vm)
    c9 = va.addingProduct(c9, vm); c10 = va.addingProduct(c10, vm); c11 = va.addingProduct(c11, vm)
    c12 = va.addingProduct(c12, vm); c13 = va.addingProduct(c13, vm); c14 = va.addingProduct(c14, vm)
    c15 = va.addingProduct(c15, vm)
  }
  let sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15))
  return sum.sum()
}

/// The same with a separate multiply and add (no FMA in the target).
@_cdecl("ml_swift_multiply_add_separate")
func ml_swift_multiply_add_separate(_ iterations: Int, _ m: Double, _ a: Double) -> Double {
  let vm = SIMD8<Double>(repeating: m), va = SIMD8<Double>(repeating: a)
  var c0 = SIMD8<Double>(repeating: 0), c1 = SIMD8<Double>(repeating: 1), c2 = SIMD8<Double>(repeating: 2)
  // Three 64-byte chains are 12 of baseline x86-64's 16 SSE registers, with
  // the two constants: as many as it holds in flight without spilling.
  for _ in 0..<iterations {
    c0 = c0 * vm + va; c1 = c1 * vm + va; c2 = c2 * vm + va
  }
  return ((c0 + c1) + c2).sum()
}
