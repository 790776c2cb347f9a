// `swift run benchmark`: parse → run → exit. The subcommands live in Sources/CLI.

import CLI
import Foundation

exit(BenchmarkCommand.main(Array(CommandLine.arguments.dropFirst())))
