// Kernel names on the command line: an unknown one is a usage error.

import KernelKit
import ProcessKit

/// `catalogue`'s kernel called `name`, or the one-line error for a name that
/// is not a kernel (`context` prefixes it, e.g. "--inject-slowdown: ").
@discardableResult
package func requireKernel(_ name: String, in catalogue: KernelCatalogue, context: String = "") throws -> any Kernel {
  guard let kernel = catalogue.kernel(named: name) else {
    throw UsageError("\(context)unknown kernel '\(name)'; valid kernels: \(catalogue.validNames)")
  }
  return kernel
}
