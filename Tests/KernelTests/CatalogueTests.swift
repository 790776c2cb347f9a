// Properties every kernel of the catalogue must have.

import Testing
import KernelKit
@testable import Kernels

@Suite("Catalogue")
struct CatalogueTests {
  static let names = catalogue.map(\.name)

  @Test func namesAreUniqueAndWellFormed() {
    #expect(Set(Self.names).count == Self.names.count)
    for name in Self.names {
      #expect(name.allSatisfy { $0.isLowercase || $0 == "-" || $0.isNumber }, "\(name)")
    }
  }

  @Test(arguments: names)
  func sizesAreOrderedAndValid(name: String) throws {
    let kernel = catalogueKernel(name)
    #expect(kernel.sizes.tiny <= kernel.sizes.quick)
    #expect(kernel.sizes.quick <= kernel.sizes.full)
    for size in [kernel.sizes.tiny, kernel.sizes.quick, kernel.sizes.full] {
      try kernel.validate(size: size)
    }
  }

  @Test(arguments: names)
  func badSizesAreRejectedWithAClearError(name: String) {
    let kernel = catalogueKernel(name)
    for size in [0, -1, Int.max] {
      #expect(throws: SizeError.self, "\(name) accepted \(size)") { try kernel.validate(size: size) }
    }
    do {
      try kernel.validate(size: -1)
    } catch let error as SizeError {
      #expect(error.description.contains(name))
      #expect(error.kernel == name)
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  /// The three flavours agree at `tiny`, sequentially and on a thread pool,
  /// and no flavour contradicts a known reference.
  @Test(arguments: names)
  func flavoursAndExecutorsAgree(name: String) {
    let kernel = catalogueKernel(name)
    let size = kernel.sizes.tiny
    let reference = compute(kernel, .idiomatic, size: size)
    if case .mismatch(let why) = kernel.verify(reference, size: size) {
      Issue.record("\(name) idiomatic: \(why)")
    }
    for flavour in kernel.flavours {
      for executor in [SequentialExecutor(), sharedPool] as [any ParallelExecutor] {
        let result = compute(kernel, flavour, size: size, on: executor)
        #expect(
          result.agrees(with: reference, tolerance: kernel.tolerance),
          "\(name) \(flavour) on \(executor.threads) thread(s): \(result) ≠ idiomatic \(reference)")
      }
    }
  }

  /// Running a workload twice gives the same answer (state is reset per run).
  @Test(arguments: names)
  func runsAreRepeatable(name: String) {
    let kernel = catalogueKernel(name)
    for flavour in kernel.flavours {
      let workload = kernel.makeWorkload(flavour, size: kernel.sizes.tiny)
      workload.run(on: sharedPool)
      let first = workload.result()
      workload.run(on: SequentialExecutor())
      #expect(workload.result() == first, "\(name) \(flavour)")
    }
  }
}
