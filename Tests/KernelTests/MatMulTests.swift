import Testing
import KernelKit
@testable import Kernels

@Suite("matmul")
struct MatMulTests {
  let kernel = MatMul()

  /// Every flavour equals the textbook i-j-k product of the same input.
  @Test(arguments: [1, 2, 5, 17, 33, 70])
  func matchesTheTextbookProduct(n: Int) {
    let (a, b) = MatMul.input(n: n)
    var c = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for k in 0..<n { sum += a[i * n + k] * b[k * n + j] }
        c[i * n + j] = sum
      }
    }
    let expected = MatMul.result(c)
    #expect(!expected.text.hasPrefix("non-integer"))
    for flavour in MatMul().flavours {
      #expect(compute(kernel, flavour, size: n, on: sharedPool) == expected, "\(flavour) at n = \(n)")
    }
  }

  /// Entries are the integers −8...8, all of them used.
  @Test func inputIsSmallIntegers() {
    let (a, b) = MatMul.input(n: 30)
    let values = Set((a + b).map { Int(exactly: $0)! })
    #expect(values == Set(-8...8))
  }
}
