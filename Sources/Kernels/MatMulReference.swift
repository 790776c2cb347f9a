// matmul's input and answer for code outside the catalogue: the BLAS rung.

import KernelKit

/// What the BLAS rung (its worker, Workers/BLASWorker.swift) needs of matmul so that a
/// library's C = A·B is checked like every cell: the same A and B, and the
/// same checksum of C.
public enum MatMulReference {
  /// A and B, n×n, row-major: `MatMul.input(n:)`.
  public static func input(n: Int) -> (a: [Double], b: [Double]) { MatMul.input(n: n) }
  /// C's checksum as every flavour reports it: `MatMul.result(_:)`.
  public static func result(_ c: UnsafeBufferPointer<Double>) -> KernelResult { MatMul.result(c) }
}
