// The contract the process backend relies on: chunk by chunk, a kernel
// computes exactly what its workload computes on threads.

import Testing
import KernelKit
@testable import Kernels

@Suite("Independent chunks")
struct IndependentChunksTests {
  static let names = ["mandelbrot", "fannkuch-redux", "nqueens", "sieve", "binary-trees", "latency"]

  @Test(arguments: names, Flavour.allCases)
  func chunksCombineToTheWorkloadsResult(name: String, flavour: Flavour) throws {
    let kernel = try #require(catalogueKernel(name) as? any IndependentChunks)
    let size = kernel.sizes.tiny
    guard kernel.notApplicable(flavour) == nil, let chunks = kernel.makeChunks(flavour, size: size) else {
      // A flavour without a chunk driver is refused by the process backend, not run.
      #expect(
        flavour.isVector || kernel.notApplicable(flavour) != nil,
        "\(name) \(flavour): scalar flavours must drive chunks")
      return
    }
    #expect(chunks.serialResult() == compute(kernel, flavour, size: size, on: sharedPool))
    // Out of order and from fresh state: partials do not depend on who computed what before.
    let again = try #require(kernel.makeChunks(flavour, size: size))
    var partials = [[UInt8]](repeating: [], count: again.count)
    for i in (0..<again.count).reversed() { partials[i] = again.partial(i) }
    #expect(again.combine(partials) == chunks.serialResult())
  }

  @Test func barrierKernelsDoNotClaimIndependence() {
    for name in ["nbody", "spectral-norm"] {
      #expect(!(catalogueKernel(name) is any IndependentChunks), "\(name)")
    }
  }

  @Test(arguments: [0, 1, -1, Int.max, Int.min, 123_456_789])
  func integerPartialsRoundTrip(value: Int) {
    #expect(partialInts(partialBytes(value, ~value)) == [value, ~value])
  }
}
