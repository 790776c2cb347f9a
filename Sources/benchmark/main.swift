import Harness

exit(BenchmarkCommand.main(Array(CommandLine.arguments.dropFirst())))
