import Testing
import CKernels
import KernelKit
@testable import Kernels

@Suite("nqueens")
struct NQueensTests {
  let kernel = catalogueKernel("nqueens")

  @Test(arguments: NQueens().flavours, [(8, 92), (10, 724)])
  func countsTheKnownSolutions(flavour: Flavour, reference: (n: Int, solutions: Int)) {
    let result = compute(kernel, flavour, size: reference.n, on: sharedPool)
    #expect(result.text == "solutions \(reference.solutions)", "\(result)")
    #expect(isMatch(kernel.verify(result, size: reference.n)))
  }

  /// n = 12 is cheap for the bitmask flavours even unoptimised.
  @Test(arguments: [Flavour.unsafe, .c])
  func bitmasksCountTwelve(flavour: Flavour) {
    let result = compute(kernel, flavour, size: 12, on: sharedPool)
    #expect(result.text == "solutions 14200", "\(result)")
  }

  @Test(arguments: 4...12)
  func openingsAreTheLegalTwoRowPlacements(n: Int) {
    let openings = NQueens.openings(n: n)
    #expect(openings.count == n * n - 3 * n + 2)
    #expect(openings.allSatisfy { abs($0.0 - $0.1) > 1 })
  }
}
