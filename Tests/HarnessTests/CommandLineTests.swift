import Foundation
import KernelKit
import Kernels
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import WorkerProtocol
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
    #expect(options.builds == Build.allCases)
    #expect(options.flavours == Flavour.allCases)
    #expect(!options.flavoursGiven)  // so the debug build leaves the Swift vector and span flavours out
    #expect(options.flavours(in: .debug) == [.idiomatic, .unsafe, .c, .cVector])
    #expect(options.flavours(in: .release) == Flavour.allCases)
    let named = try parsed(["--flavours", "span,vector"], as: Command.Run.self).plan
    #expect(named.flavours(in: .debug) == [.span, .vector])
    #expect(options.threads.first == 1)
    #expect(options.size == SizeRequest())
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
    (["--flavours", "rust"], "unknown flavour 'rust'; valid flavours: idiomatic, span, unsafe, c"),
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
    (["--size", "3000"], "a bare number is the size of every selected kernel (here \(RunPlan().kernels.count))"),
    (["--kernels", "mandelbrot,nqueens", "--size", "300"], "or give per-kernel sizes such as --size mandelbrot=1000,nqueens=12"),
    (["--size", "mandlebrot=300"], "--size: unknown kernel 'mandlebrot'"),
    (["--kernels", "mandelbrot", "--size", "sieve=1000"], "sieve is not measured (kernels: mandelbrot)"),
    (["--size", "sieve=1000,sieve=2000"], "--size: sieve is given two sizes"),
    (["--size", "tiny,quick"], "gives two sizes for every kernel"),
    (["--size", "sieve=0"], "--size: 0 must be positive"),
    (["--kernels", "mandelbrot,sieve", "--size", "tiny,mandelbrot=3"], "mandelbrot cannot take size 3"),
    (["--min-time", "0"], "use milliseconds more than 0 and at most 60000"),
    (["--time-limit", "0"], "use seconds more than 0 and at most 86400"),
    (["--samples", "3", "--samples=4"], "option '--samples' is given twice; give it once"),
    (["--gil", "--gil"], "option '--gil' is given twice"),
    (["gate", "--strict", "--strict"], "option '--strict' is given twice"),
    (["explain", "--size", "tiny", "--size", "quick"], "option '--size' is given twice"),
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

  // MARK: - Sizes

  @Test func perKernelSizesAfterAnOptionalSizeForTheRest() throws {
    let tiny = kernel(named: "mandelbrot")!.sizes.tiny
    let plan = try parsed(["--kernels", "mandelbrot,sieve", "--size", "sieve=2_000,mandelbrot=300"], as: Command.Run.self).plan
    #expect(try plan.sizes() == ["mandelbrot": 300, "sieve": 2000])
    #expect(plan.size.description == "quick,mandelbrot=300,sieve=2000")  // as the header and the JSON settings show it
    let mixed = try parsed(["--kernels", "mandelbrot,sieve", "--size", "tiny,sieve=5000"], as: Command.Run.self).plan
    #expect(try mixed.sizes() == ["mandelbrot": tiny, "sieve": 5000])
    // The worker is sent the same sizes, resolved.
    let request = mixed.measureRequest(for: .debug, kernels: try mixed.sizedKernels())
    guard case .measure(let sent) = try WorkerRequest.decode(try WorkerRequest.measure(request).line()) else {
      Issue.record("not a measure request")
      return
    }
    #expect(try sent.sizes == mixed.sizes())
    // A bare number still serves one kernel.
    #expect(try parsed(["--kernels", "sieve", "--size", "5000"], as: Command.Run.self).plan.sizes() == ["sieve": 5000])
  }

  // MARK: - Repeated options

  /// `--inject-slowdown` and `--inject-work` add one each time; every other option may be given once.
  @Test func onlyRepeatableOptionsMayRepeat() throws {
    let plan = try parsed(
      ["--inject-slowdown", "sieve/c=2", "--inject-slowdown", "nbody/unsafe=1.5"], as: Command.Run.self
    ).plan
    #expect(plan.slowdowns.map(\.description) == ["sieve/c=2.0", "nbody/unsafe=1.5"])
    for type in Command.all {
      let repeatable = type.optionHelp.filter { $0.text.contains("May be given more than once") }.map(\.label)
      #expect(
        repeatable.allSatisfy { $0.hasPrefix("--inject-slowdown") || $0.hasPrefix("--inject-work") },
        "\(type.name): \(repeatable)")
    }
  }

  // MARK: - Help pages

  /// The options as a page lists them: the first word of each entry line.
  static func listedOptions(_ page: String) -> [String] {
    page.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("  --") else { return nil }
      return String(line.dropFirst(2).prefix { $0 != " " })
    }.filter { $0 != "--help" && $0 != "--version" }
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
    #expect(Self.listedOptions(page) == type.optionNames)
    for (label, text) in type.optionHelp {
      #expect(page.contains("  " + label), "\(name) --help lacks \(label)")
      #expect(text.count > 10, "\(name) \(label) is not explained")
    }
  }

  @Test func concurrencyAndReportOptionsAreExplained() throws {
    let concurrency = HelpText.page(Command.Concurrency.self)
    #expect(concurrency.contains("--kernel K          The CPU-bound kernel"))
    #expect(concurrency.contains("--io-threads N      Threads (and tasks in flight) for the I/O-bound rows"))
    let report = HelpText.page(Command.Report.self)
    #expect(report.contains("--out DIR           The folder for index.html"))
    #expect(report.contains("--from FILE         Draw a results file"))
  }

  /// The global page: every visible subcommand, none of the hidden ones, and run's options.
  @Test func globalHelpListsSubcommandsAndRunsOptions() throws {
    let page = try runBenchmark(["--help"]).standardOutput
    #expect(page == HelpText.global())
    for type in Command.visible { #expect(page.contains("\n  \(type.name) "), "\(type.name)") }
    for type in Command.all where type.isHidden { #expect(!page.contains("\n  \(type.name) ")) }
    #expect(Self.listedOptions(page) == Command.Run.optionNames)
    #expect(!page.contains("  --baseline FILE"))  // gate's options are on gate's page
  }

  /// Derived, so they cannot drift: every option a page lists is one its parser
  /// accepts, and the parser's list of valid options is the page's list.
  @Test func everyPageListsExactlyTheOptionsItsParserAccepts() throws {
    for type in Command.all {
      let listed = Self.listedOptions(HelpText.page(type))
      #expect(listed == type.optionNames, "\(type.name)")
      // Placeholders for required arguments (compare's two files), so the options are what is checked.
      let required = type.requiredArgumentNames.map { _ in "x.json" }
      for (name, label) in zip(listed, type.optionHelp.map(\.label)) {
        let arguments = [type.name] + required + [name] + (label.contains(" ") ? ["x"] : [])
        do {
          _ = try Command.parse(arguments)
        } catch let error as UsageError {
          #expect(!error.message.contains("unknown option"), "\(arguments): \(error.message)")
        }
      }
      guard !type.isHidden else { continue }  // `worker` needs its plan first
      do {
        _ = try Command.parse([type.name] + required + ["--no-such-option"])
        Issue.record("\(type.name) accepted --no-such-option")
      } catch let error as UsageError {
        let valid = listed.isEmpty ? "'\(type.name)' takes no options" : "valid options: \(listed.joined(separator: ", "))"
        #expect(error.message.hasSuffix(valid), "\(error.message)")
      }
    }
  }

  /// Valid values on the pages come from the model, so a new build or flavour shows up by itself.
  @Test func validValuesComeFromTheModel() {
    let page = HelpText.global()
    let flat = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    #expect(flat.contains("Valid: \(Build.allCases.map(\.rawValue).joined(separator: ", "))."))
    #expect(flat.contains("Valid: \(Flavour.validNames)."))
    #expect(flat.contains("Valid: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))."))
    #expect(flat.contains("Valid: \(catalogue.map(\.name).joined(separator: ", "))."))
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
