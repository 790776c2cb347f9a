// `swift run benchmark`: see Sources/Harness/BenchmarkCommand.swift.

import Foundation
import Harness

exit(BenchmarkCommand.main(Array(CommandLine.arguments.dropFirst())))
