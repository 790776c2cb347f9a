import Foundation
import KernelKit
import Kernels
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit
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

  @Test(arguments: Fixtures.CommandLines.badInputs)
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

  @Test func concurrencyAndReportOptionsAreExplained() throws {
    let concurrency = HelpText.page(Command.Concurrency.self)
    #expect(concurrency.contains("--kernel K          The CPU-bound kernel"))
    #expect(concurrency.contains("--io-threads N      Threads (and tasks in flight) for the I/O-bound rows"))
    let report = HelpText.page(Command.Report.self)
    #expect(report.contains("--out DIR           The folder for index.html"))
    #expect(report.contains("--from FILE         Draw a results file"))
  }

  /// Derived, so they cannot drift: every option a page lists is one its parser
  /// accepts, and the parser's list of valid options is the page's list.
  @Test func everyPageListsExactlyTheOptionsItsParserAccepts() throws {
    for type in Command.all {
      let listed = Fixtures.CommandLines.listedOptions(HelpText.page(type))
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
}
