import Testing
import KernelKit
@testable import Kernels

@Suite("spectral-norm")
struct SpectralNormTests {
  let kernel = SpectralNorm()

  @Test(arguments: SpectralNorm().flavours)
  func reproducesTheBenchmarksGameNorm(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 100, on: sharedPool)
    #expect(result.text == "norm 1.274219991", "\(result)")
    guard case .matches = kernel.verify(result, size: 100) else {
      Issue.record("\(flavour): \(result) does not verify")
      return
    }
  }

  /// Sizes smaller than the chunk count or the lane count, and sizes that do
  /// not split evenly, give bit-identical norms within the scalar flavours and
  /// within the vector flavours; the two groups agree within the tolerance.
  @Test(arguments: [1, 2, 7, 8, 9, 65, 129])
  func flavoursAgree(n: Int) {
    let scalar = [Flavour.idiomatic, .unsafe, .c].map { compute(kernel, $0, size: n, on: sharedPool) }
    #expect(scalar.allSatisfy { $0 == scalar[0] }, "\(scalar)")
    let vector = [Flavour.vector, .cVector].map { compute(kernel, $0, size: n, on: sharedPool) }
    #expect(vector[0] == vector[1], "\(vector)")
    let drift = abs(vector[0].values[0] - scalar[0].values[0]) / scalar[0].values[0]
    #expect(drift <= kernel.tolerance / 100, "relative drift \(drift) at n = \(n)")
    #expect(kernel.tolerance == SpectralNorm.vectorTolerance && kernel.tolerance > 0)
  }

  /// A stored matrix and the textbook power method give the same norm, bit
  /// for bit for the scalar flavours (same products, added in the same order),
  /// within the tolerance for the vector ones.
  @Test(arguments: [1, 2, 7, 40])
  func matchesAStoredMatrix(n: Int) {
    func entry(_ i: Int, _ j: Int) -> Double {
      let denominator: Int = (i + j) * (i + j + 1) / 2 + i + 1
      return 1.0 / Double(denominator)
    }
    let a = (0..<n).map { i in (0..<n).map { j in entry(i, j) } }
    func times(_ m: [[Double]], _ x: [Double]) -> [Double] {
      m.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    let at = (0..<n).map { i in (0..<n).map { j in a[j][i] } }
    var u = [Double](repeating: 1, count: n)
    var v = u
    for _ in 0..<10 {
      v = times(at, times(a, u))
      u = times(at, times(a, v))
    }
    let vBv = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
    let vv = v.reduce(0) { $0 + $1 * $1 }
    let expected = (vBv / vv).squareRoot()
    for flavour in SpectralNorm().flavours {
      let norm = compute(kernel, flavour, size: n).values[0]
      if flavour.isVector {
        // Eight interleaved partial sums: the same entries, another order.
        #expect(abs(norm - expected) <= kernel.tolerance * expected, "\(flavour) at n = \(n)")
      } else {
        #expect(norm == expected, "\(flavour) at n = \(n)")
      }
    }
    if n == 1 { #expect(expected == 1) }
  }
}
