// Helpers shared by the kernel tests.

import KernelKit
@testable import Kernels

/// One pool for the whole test run: three threads on two cores, so chunks
/// really do run concurrently and out of order.
let sharedPool = ThreadPool(threads: 3)

/// Runs `kernel` once in `flavour` at `size` and returns its result.
func compute(
  _ kernel: any Kernel, _ flavour: Flavour, size: Int,
  on executor: any ParallelExecutor = SequentialExecutor()
) -> KernelResult {
  let workload = kernel.makeWorkload(flavour, size: size)
  workload.run(on: executor)
  return workload.result()
}

/// The catalogue's kernel called `name` (a test bug if missing).
func catalogueKernel(_ name: String) -> any Kernel {
  guard let kernel = kernel(named: name) else { fatalError("no kernel named \(name)") }
  return kernel
}

/// True when `verification` is a match with a reference (not merely "no reference").
func isMatch(_ verification: Verification) -> Bool {
  if case .matches = verification { return true }
  return false
}
