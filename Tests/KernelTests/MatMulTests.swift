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
  /// at sizes that are not multiples of the 8-column strip, over one panel of
  /// k or two (523: a full panel of 512 and a partial one, which adds to what
  /// the first left in C), and over row ranges that leave 0 to 7 rows after
  /// the last whole block (so blocks of 4, 2 and 1 read A in place). At 523
  /// only rows 0..<30 and the last 13 are computed and compared (the naive
  /// product of them all is slow in a debug build).
  @Test(arguments: [13, 37, 261, 523])
  func vectorFlavoursAreExactOnSmallIntegers(n: Int) {
    let (a, b) = MatMul.input(n: n)
    let splits = [0, 7, 8, 19, 30, n].filter { $0 <= n }
    var ranges = zip(splits, splits.dropFirst()).filter { $0 < $1 }
    if n > 300 { ranges = ranges.dropLast() + [(n - 13, n)] }
    var naive = [Double](repeating: .nan, count: n * n)
    for (lo, hi) in ranges {
      for i in lo..<hi {
        for j in 0..<n {
          var sum = 0.0
          for k in 0..<n { sum += a[i * n + k] * b[k * n + j] }
          naive[i * n + j] = sum
        }
      }
    }
    // Panel by panel, as the workload runs it: B's panel packed by the
    // flavour's own packer in three row ranges, in reverse order (as threads
    // might), then every row range of C over the panel.
    func product(_ pack: MatMulPackB, _ rows: MatMulRows) -> [Double] {
      var c = [Double](repeating: .nan, count: n * n)
      var packedB = [Double](repeating: .nan, count: Vector.matmulPackedCount(n))
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          packedB.withUnsafeMutableBufferPointer { packedB in
            c.withUnsafeMutableBufferPointer { c in
              for k0 in stride(from: 0, to: n, by: Vector.matmulPanelK) {
                let kc = min(Vector.matmulPanelK, n - k0)
                let packSplits = [k0, k0 + kc / 3, k0 + kc / 2, k0 + kc]
                for (lo, hi) in zip(packSplits, packSplits.dropFirst()).reversed() {
                  pack(n, k0, lo, hi, b.baseAddress!, packedB.baseAddress!)
                }
                for (lo, hi) in ranges {
                  rows(n, k0, lo, hi, a.baseAddress!, b.baseAddress!, packedB.baseAddress!, c.baseAddress!)
                }
              }
            }
          }
        }
      }
      return c
    }
    // How many entries of the rows computed differ, not the values, in a failure's message.
    func differing(_ c: [Double]) -> Int {
      ranges.map { lo, hi in (lo * n..<hi * n).filter { c[$0] != naive[$0] }.count }.reduce(0, +)
    }
    for blockRows in [2, 4, 8] {
      for fused in [false, true] {
        let swift = product(Vector.matmulPackB) {
          Vector.matmulRows($0, $1, $2, $3, $4, $5, $6, $7, blockRows: blockRows, fused: fused)
        }
        #expect(differing(swift) == 0, "Swift vector, \(blockRows) rows, fused \(fused), n = \(n)")
      }
    }
    let cVector = product({ cv_matmul_pack_b($0, $1, $2, $3, $4, $5) }) {
      cv_matmul_rows($0, $1, $2, $3, $4, $5, $6, $7)
    }
    #expect(differing(cVector) == 0, "C vector at n = \(n)")
  }

  /// A packed panel of B has the documented layout (B[k][j + l] at
  /// j·kc + (k − k0)·8 + l), every double written (none left NaN), and the
  /// Swift and C packers agree, whatever row ranges pack it: for every panel
  /// at sizes with one partial panel, one full panel, a full and a partial
  /// one, and with n % 8 columns left out. The two flavours' panel lengths
  /// agree too.
  @Test(arguments: [5, 8, 13, 512, 515, 1_030])
  func packedPanelsHaveTheDocumentedLayout(n: Int) {
    #expect(Vector.matmulPanelK == Int(cv_matmul_panel_k()))
    let (_, b) = MatMul.input(n: n)
    let count = Vector.matmulPackedCount(n)
    #expect(count == cv_matmul_packed_count(n))
    let n8 = n - n % 8
    #expect(count == min(n, Vector.matmulPanelK) * n8)
    for k0 in stride(from: 0, to: n, by: Vector.matmulPanelK) {
      let kc = min(Vector.matmulPanelK, n - k0)
      var expected = [Double](repeating: .nan, count: count)
      for k in k0..<(k0 + kc) {
        for j in 0..<n8 { expected[(j - j % 8) * kc + (k - k0) * 8 + j % 8] = b[k * n + j] }
      }
      #expect(!expected[..<(kc * n8)].contains { $0.isNaN })
      for splits in [[k0, k0 + kc], [k0, k0 + kc / 3, k0 + kc / 2, k0 + kc]] {
        var swift = [Double](repeating: .nan, count: count), c = swift
        b.withUnsafeBufferPointer { b in
          swift.withUnsafeMutableBufferPointer { swift in
            c.withUnsafeMutableBufferPointer { c in
              for (lo, hi) in zip(splits, splits.dropFirst()) {
                Vector.matmulPackB(n, k0, lo, hi, b.baseAddress!, swift.baseAddress!)
                cv_matmul_pack_b(n, k0, lo, hi, b.baseAddress!, c.baseAddress!)
              }
            }
          }
        }
        // NaN ≠ NaN: compare bit patterns, so that the unused tail of a short panel compares equal.
        #expect(swift.map(\.bitPattern) == expected.map(\.bitPattern), "Swift packer, n = \(n), k0 = \(k0), splits \(splits)")
        #expect(c.map(\.bitPattern) == expected.map(\.bitPattern), "C packer, n = \(n), k0 = \(k0), splits \(splits)")
      }
    }
  }

  /// The whole workload, its phases included, gives the scalar C flavour's
  /// answer on one thread and on the shared pool, run after run (each run
  /// packs every panel of B afresh into the same buffer and overwrites C), at
  /// a size of two panels of k (the second adds to what the first wrote).
  @Test func vectorWorkloadsAgreeAcrossExecutorsAndRuns() {
    let n = 520
    let scalar = compute(kernel, .c, size: n, on: sharedPool)
    for flavour in [Flavour.vector, .cVector] {
      let workload = kernel.makeWorkload(flavour, size: n)
      workload.run(on: sharedPool)
      #expect(workload.result() == scalar, "\(flavour), pooled")
      workload.run(on: SequentialExecutor())
      #expect(workload.result() == scalar, "\(flavour), second run, one thread")
    }
  }

  typealias MatMulPackB = (Int, Int, Int, Int, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  typealias MatMulRows = (
    Int, Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>,
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
