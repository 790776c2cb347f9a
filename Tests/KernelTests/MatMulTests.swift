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
    let ranges = zip(splits, splits.dropFirst()).filter { $0 < $1 }
    // B packed by the same row ranges, in reverse order (as threads might),
    // each flavour by its own packer.
    func packed(_ pack: MatMulPackB) -> [Double] {
      var packed = [Double](repeating: .nan, count: Vector.matmulPackedCount(n))
      b.withUnsafeBufferPointer { b in
        packed.withUnsafeMutableBufferPointer { packed in
          for (lo, hi) in ranges.reversed() { pack(n, lo, hi, b.baseAddress!, packed.baseAddress!) }
        }
      }
      return packed
    }
    func product(_ pack: MatMulPackB, _ rows: MatMulRows) -> [Double] {
      let packedB = packed(pack)
      var c = [Double](repeating: .nan, count: n * n)
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          packedB.withUnsafeBufferPointer { packedB in
            c.withUnsafeMutableBufferPointer { c in
              for (lo, hi) in ranges {
                rows(n, lo, hi, a.baseAddress!, b.baseAddress!, packedB.baseAddress!, c.baseAddress!)
              }
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
        let swift = product(Vector.matmulPackB) {
          Vector.matmulRows($0, $1, $2, $3, $4, $5, $6, blockRows: blockRows, fused: fused)
        }
        #expect(differing(swift) == 0, "Swift vector, \(blockRows) rows, fused \(fused), n = \(n)")
      }
    }
    let cVector = product({ cv_matmul_pack_b($0, $1, $2, $3, $4) }) { cv_matmul_rows($0, $1, $2, $3, $4, $5, $6) }
    #expect(differing(cVector) == 0, "C vector at n = \(n)")
  }

  /// B's packed copy has the documented layout (B[k][j + l] at
  /// k0·n8 + j·kc + (k − k0)·8 + l, panels of 256 rows), every double written
  /// (none left NaN), and the Swift and C packers agree, whatever row ranges
  /// pack it: at sizes with one partial panel, a full and a partial one, and
  /// two full ones, and with n % 8 columns left out.
  @Test(arguments: [5, 8, 13, 261, 512, 515])
  func packedBHasTheDocumentedLayout(n: Int) {
    let (_, b) = MatMul.input(n: n)
    let count = Vector.matmulPackedCount(n)
    #expect(count == cv_matmul_packed_count(n))
    let n8 = n - n % 8
    #expect(count == n8 * n)
    var expected = [Double](repeating: .nan, count: count)
    for k in 0..<n {
      let k0 = k - k % 256, kc = min(256, n - k0)
      for j in 0..<n8 { expected[k0 * n8 + (j - j % 8) * kc + (k - k0) * 8 + j % 8] = b[k * n + j] }
    }
    #expect(!expected.contains { $0.isNaN })
    for splits in [[0, n], [0, n / 3, n / 2, n]] {
      var swift = [Double](repeating: .nan, count: count), c = swift
      b.withUnsafeBufferPointer { b in
        swift.withUnsafeMutableBufferPointer { swift in
          c.withUnsafeMutableBufferPointer { c in
            for (lo, hi) in zip(splits, splits.dropFirst()) {
              Vector.matmulPackB(n, lo, hi, b.baseAddress!, swift.baseAddress!)
              cv_matmul_pack_b(n, lo, hi, b.baseAddress!, c.baseAddress!)
            }
          }
        }
      }
      #expect(swift == expected, "Swift packer, n = \(n), splits \(splits)")
      #expect(c == expected, "C packer, n = \(n), splits \(splits)")
    }
  }

  /// The whole workload, packing phase included, gives the same answer on
  /// one thread and on the shared pool, run after run (each run packs B
  /// afresh into the same buffer and overwrites C).
  @Test func vectorWorkloadsAgreeAcrossExecutorsAndRuns() {
    let n = 45
    for flavour in [Flavour.vector, .cVector] {
      let single = compute(kernel, flavour, size: n, on: SequentialExecutor())
      let pooled = compute(kernel, flavour, size: n, on: sharedPool)
      #expect(single == pooled, "\(flavour)")
      let workload = kernel.makeWorkload(flavour, size: n)
      workload.run(on: sharedPool)
      let once = workload.result()
      workload.run(on: SequentialExecutor())
      #expect(workload.result() == once, "\(flavour), second run")
      #expect(once == single, "\(flavour)")
    }
  }

  typealias MatMulPackB = (Int, Int, Int, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  typealias MatMulRows = (
    Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>,
    UnsafeMutablePointer<Double>
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
