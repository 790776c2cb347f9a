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

  /// The vector flavours sum every entry in the scalar order, so they agree
  /// bit for bit with unsafe Swift even on inputs where rounding happens
  /// (non-integers, where the order of additions would show). Odd n and a row
  /// range of 7 exercise the blocks of 2 and 1 rows and the scalar columns;
  /// n = 261 takes a full panel of B's rows (256) and a partial one, which adds
  /// to what the first left in C; rows 0..<7 read B in place, the rest pack it.
  /// (Scalar C is left out: with -march=native clang may fuse its a·b + c.)
  @Test(arguments: [13, 37, 261])
  func vectorFlavoursKeepTheScalarOrder(n: Int) {
    var random = SplitMix64(seed: 42)
    let a = (0..<(n * n)).map { _ in Double(random.next(below: 1 << 20)) / 1_234.567 - 400 }
    let b = (0..<(n * n)).map { _ in Double(random.next(below: 1 << 20)) / 7_654.321 - 60 }
    func product(_ rows: MatMulRows) -> [UInt64] {
      var c = [Double](repeating: .nan, count: n * n)
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          c.withUnsafeMutableBufferPointer { c in
            for (lo, hi) in [(0, 7), (7, n)] { rows(n, lo, hi, a.baseAddress!, b.baseAddress!, c.baseAddress!) }
          }
        }
      }
      return c.map(\.bitPattern)
    }
    let scalar = product(Unsafe.matmulRows)
    // How many entries differ, not the n² bit patterns, in a failure's message.
    func differing(_ bits: [UInt64]) -> Int { zip(bits, scalar).filter { $0 != $1 }.count }
    #expect(differing(product(Vector.matmulRows)) == 0, "Swift vector at n = \(n)")
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
