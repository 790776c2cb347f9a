import CKernels
import CVectorKernels
import KernelKit
import Testing
import UnsafeKernels
import VectorKernels
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

  /// The exactness claim in `MatMul`'s definition, checked: on its
  /// small-integer inputs, both vector flavours equal the naive i-j-k product
  /// exactly, fused or not, for every block height the Swift flavour accepts,
  /// at sizes that are not multiples of the 8-column strip or the 256-k panel
  /// (261: a full panel and a partial one, which adds to what the first left
  /// in C; 300), and over row ranges that leave 0 to 7 rows after the last
  /// whole block (so blocks of 4, 2 and 1 read A in place).
  @Test(arguments: [13, 37, 261, 300])
  func vectorFlavoursAreExactOnSmallIntegers(n: Int) {
    let (a, b) = MatMul.input(n: n)
    var naive = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for k in 0..<n { sum += a[i * n + k] * b[k * n + j] }
        naive[i * n + j] = sum
      }
    }
    let splits = [0, 7, 8, 19, 30, n].filter { $0 <= n }
    func product(_ rows: MatMulRows) -> [Double] {
      var c = [Double](repeating: .nan, count: n * n)
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          c.withUnsafeMutableBufferPointer { c in
            for (lo, hi) in zip(splits, splits.dropFirst()) where lo < hi {
              rows(n, lo, hi, a.baseAddress!, b.baseAddress!, c.baseAddress!)
            }
          }
        }
      }
      return c
    }
    // How many entries differ, not the n² values, in a failure's message.
    func differing(_ c: [Double]) -> Int { zip(c, naive).filter { $0 != $1 }.count }
    for blockRows in [2, 4, 8] {
      for fused in [false, true] {
        let swift = product { Vector.matmulRows($0, $1, $2, $3, $4, $5, blockRows: blockRows, fused: fused) }
        #expect(differing(swift) == 0, "Swift vector, \(blockRows) rows, fused \(fused), n = \(n)")
      }
    }
    #expect(differing(product { cv_matmul_rows($0, $1, $2, $3, $4, $5) }) == 0, "C vector at n = \(n)")
  }

  typealias MatMulRows = (
    Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>
  ) -> Void

  @Test func workIsTwoNCubedFlops() {
    #expect(kernel.work(size: 1_500) == Work(2 * 1_500 * 1_500 * 1_500, .flops, kernel.work(size: 1_500).what))
  }

  /// Entries are the integers −8...8, all of them used.
  @Test func inputIsSmallIntegers() {
    let (a, b) = MatMul.input(n: 30)
    let values = Set((a + b).map { Int(exactly: $0)! })
    #expect(values == Set(-8...8))
  }
}
