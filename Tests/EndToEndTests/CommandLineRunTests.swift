// The command line through the built binary: bad input, help pages, list and version.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import MeasurementKit

@Suite("Command line: the binary")
struct CommandLineRunTests {
  /// Bad input through the real binary: exit status 2, one line on standard
  /// error, nothing on standard output, no file written.
  @Test(arguments: Fixtures.CommandLines.badInputs.map(\.0))
  func badInputExitsTwoAndWritesNothing(arguments: [String]) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("results.json").path
    let hasOutput = arguments.contains("--output")
    let outcome = try runBenchmark(arguments + (hasOutput ? [] : ["--output", output]))
    #expect(outcome.status == 2)
    #expect(outcome.standardOutput.isEmpty)
    #expect(outcome.standardError.hasPrefix("error: "))
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(contents(of: folder).isEmpty)
  }

  /// `benchmark NAME --help` is NAME's own page, not the global one, and explains each of its options.
  @Test(arguments: ["explain", "report", "gate", "concurrency"])
  func subcommandHelpIsItsOwnPage(name: String) throws {
    let outcome = try runBenchmark([name, "--help"])
    #expect(outcome.status == 0)
    #expect(outcome.standardError.isEmpty)
    let page = outcome.standardOutput
    #expect(page.hasPrefix("USAGE: benchmark \(name)"))
    #expect(page != HelpText.global())
    #expect(try runBenchmark(["help", name]).standardOutput == page)
    let type = try #require(Command.subcommand(named: name))
    #expect(Fixtures.CommandLines.listedOptions(page) == type.optionNames)
    for (label, text) in type.optionHelp {
      #expect(page.contains("  " + label), "\(name) --help lacks \(label)")
      #expect(text.count > 10, "\(name) \(label) is not explained")
    }
  }

  /// The global page: every visible subcommand, none of the hidden ones, and run's options.
  @Test func globalHelpListsSubcommandsAndRunsOptions() throws {
    let page = try runBenchmark(["--help"]).standardOutput
    #expect(page == HelpText.global())
    for type in Command.visible { #expect(page.contains("\n  \(type.name) "), "\(type.name)") }
    for type in Command.all where type.isHidden { #expect(!page.contains("\n  \(type.name) ")) }
    #expect(Fixtures.CommandLines.listedOptions(page) == Command.Run.optionNames)
    #expect(!page.contains("  --baseline FILE"))  // gate's options are on gate's page
  }

  @Test func helpAndListAndVersion() throws {
    let help = try runBenchmark(["--help"])
    #expect(help.status == 0)
    #expect(help.standardOutput.contains("EXAMPLES"))
    let list = try runBenchmark(["list"])
    #expect(list.status == 0)
    #expect(list.standardOutput.contains("mandelbrot"))
    let version = try runBenchmark(["--version"])
    #expect(version.standardOutput.hasPrefix("SpeedLadder "))
  }
}
