// `benchmark concurrency`: the Python concurrency article's lessons, measured.

import Foundation
import KernelKit
import Kernels

public struct ConcurrencyOptions: Equatable, Sendable {}

extension Command {
  static func parseConcurrency(_ arguments: ArraySlice<String>) throws -> ConcurrencyOptions {
    ConcurrencyOptions()
  }
}

enum Concurrency {
  static func main(_ options: ConcurrencyOptions) throws -> Int32 { 0 }
}
