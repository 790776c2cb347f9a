import Foundation
import KernelKit
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

/// Parses `arguments` and expects subcommand `type`.
func parsed<T: Subcommand>(_ arguments: [String], as type: T.Type) throws -> T {
  let command = try Command.parse(arguments)
  return try #require(command as? T, "\(arguments) parsed as \(command)")
}

@Suite("Command line")
struct CommandLineTests {
  // MARK: - Parsing

  @Test func defaultsMeasureEverything() throws {
    let options = try parsed([], as: Command.Run.self).plan
    #expect(options.builds == [.debug, .release])
    #expect(options.flavours == Flavour.allCases)
    #expect(!options.flavoursGiven)  // so the debug build leaves the Swift vector flavour out
    #expect(options.threads.first == 1)
    #expect(options.size == "quick")
  }

  @Test func bothOptionSpellings() throws {
    let a = try parsed(["run", "--kernels", "mandelbrot", "--threads", "1,all", "--samples", "7"], as: Command.Run.self)
    let b = try parsed(["--kernels=mandelbrot", "--threads=all,1", "--samples=7"], as: Command.Run.self)
    #expect(a == b)
    #expect(a.plan.samples == 7)
  }

  @Test func subcommands() throws {
    #expect(try Command.parse(["list"]) is Command.List)
    #expect(try parsed(["--help"], as: Command.Help.self).text == HelpText.global())
    #expect(try parsed(["run", "-h"], as: Command.Help.self).text == HelpText.global())
    #expect(try parsed(["gate", "--strict", "-h"], as: Command.Help.self).topic == "gate")
    #expect(try parsed(["help", "report"], as: Command.Help.self).topic == "report")
    #expect(try Command.parse(["--version"]) is Command.Version)
    #expect(try Command.parse(["version"]) is Command.Version)
  }

  /// Each bad input, and a word its one-line message must contain.
  static let badInputs: [([String], String)] = [
    (["frobnicate"], "unknown subcommand 'frobnicate'; valid subcommands: run, list, "),
    (["--kernels", "nope"], "unknown kernel 'nope'; valid kernels: mandelbrot"),
    (["--flavours", "rust"], "unknown flavour 'rust'; valid flavours: idiomatic, unsafe, c"),
    (["--builds", "fast"], "unknown build 'fast'; valid builds: debug, release"),
    (["--colour"], "unknown option '--colour'"),
    (["--kernels"], "option '--kernels' needs a value"),
    (["--threads", "0"], "--threads: 0 is out of range"),
    (["--threads", "-2"], "--threads: -2 is out of range"),
    (["--threads", "100000"], "--threads: 100000 is out of range"),
    (["--threads", "two"], "--threads: 'two' is not a thread count"),
    (["--threads", "1,,2"], "without empty items"),
    (["--size", "big"], "--size: 'big' is not a size"),
    (["--size", "0"], "--size: 0 must be positive"),
    (["--kernels", "mandelbrot", "--size", "3"], "mandelbrot cannot take size 3"),
    (["--min-time", "-5"], "--min-time"),
    (["--samples", "0"], "--samples: '0' is not a count"),
    (["--format", "xml"], "unknown format 'xml'; valid formats: table, json, csv, markdown"),
    (["--output", "/nonexistent-folder/x.json"], "folder '/nonexistent-folder' does not exist"),
    (["--output", "/tmp"], "'/tmp' is a folder"),
    (["list", "extra"], "'list' takes no arguments"),
    (["run", "stray"], "unexpected argument 'stray'"),
  ]

  @Test(arguments: badInputs)
  func badInputIsAUsageError(arguments: [String], message: String) {
    do {
      _ = try Command.parse(arguments)
      Issue.record("\(arguments) parsed")
    } catch let error as UsageError {
      #expect(error.message.contains(message), "\(error.message)")
      #expect(!error.message.contains("\n"))
    } catch {
      Issue.record("\(arguments): \(error)")
    }
  }

  // MARK: - The binary

  /// Bad input through the real binary: exit status 2, one line on standard
  /// error, nothing on standard output, no file written.
  @Test(arguments: badInputs.map(\.0))
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
