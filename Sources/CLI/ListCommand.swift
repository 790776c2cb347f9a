// `benchmark list`: the kernels, their bottlenecks and sizes, in catalogue order.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit

extension Command {
  struct List: Subcommand {
    static let name = "list"
    static let abstract = "The kernels, their bottlenecks and sizes."

    func run() throws -> Int32 {
      writeStandardOutput(Self.text())
      return ExitStatus.success
    }

    static func text() -> String {
      var out = "kernel".padded(16) + "bottleneck".padded(36) + "tiny".leftPadded(11)
        + "quick".leftPadded(12) + "full".leftPadded(13) + "  size parameter\n"
      for kernel in catalogue {
        out += kernel.name.padded(16) + kernel.bottleneck.padded(36)
          + String(kernel.sizes.tiny).leftPadded(11) + String(kernel.sizes.quick).leftPadded(12)
          + String(kernel.sizes.full).leftPadded(13) + "  " + kernel.parameter
          + (kernel.isIOBound ? " (I/O-bound: only with --kernels, not in the default run)" : "") + "\n"
      }
      out += "\nEach kernel: \(Flavour.validNames) flavours. Details: README.md.\n"
      return out
    }
  }
}
