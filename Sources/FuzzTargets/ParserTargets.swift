// The parsers of outside input, each behind one entry that takes bytes: what the
// libFuzzer binary (Sources/fuzz-parsers) and the corpus replay test feed them.
// A parser may accept an input or reject it; it may not crash, hang, or reject it
// with anything but one line that names the file and says what is wrong.
// How to run the fuzzers, and what they found: bench/FUZZING.md.

import CLI
import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import Reports
import WorkerProtocol

// MARK: - Targets

/// One parser of outside input, as a fuzz target. The raw value names the
/// corpus folder (Tests/Corpus/<name>) and the fuzzer's `SPEEDLADDER_FUZZ`.
package enum ParserTarget: String, CaseIterable, Sendable {
  /// A gates file (bench/gates.json): `GateFile.parse`.
  case gates
  /// A saved run for `explain --from` and `report --from`: `RunResults.load`,
  /// then everything those commands draw from it (explanations, table, report files).
  case results
  /// A baseline for `gate --baseline`: `GateCommand.loadBaseline`.
  case baseline
  /// A worker's standard output: one `WorkerEvent` per line, decoded as the
  /// orchestrator does, its cells cross-verified and tabulated.
  case workerEvents = "worker-events"
  /// What a worker process reads on its standard input: `WorkerRequest.decode`,
  /// which looks up every kernel, checks its size and each job's counts.
  case workerRequest = "worker-request"
  /// What rung.py answers: `InterpretedRungs.read`. The first byte picks the exit
  /// status (`0` 0, `1` 3, `2` 4, `3` 1, `4` killed by signal 9, and so on round); the rest is standard output, up to a NUL byte, then standard error.
  case pythonRung = "python-rung"
  /// The command line: `Command.parse`, one argument per line of the input.
  case commandLine = "command-line"
  /// A callgrind dump a counted worker reads after its counted region: `CallgrindOutput.parse`.
  case callgrind
}

/// What a parser made of one input.
package enum ParserVerdict: Equatable, Sendable {
  case accepted
  /// Rejected with this message, as the user would read it.
  case rejected(String)
  /// A broken promise that is not a crash: an error that is not a usage error,
  /// or a message on more than one line, or one that does not name the file.
  case broken(String)
}

extension ParserTarget {
  /// The file name the parsers are told they read, so their messages can be checked for it.
  package static let fileName = "fuzz-input.json"

  /// Feeds `data` to the parser and judges what it said.
  package func feed(_ data: Data) -> ParserVerdict {
    switch self {
    case .gates:
      return judge(naming: Self.fileName) { _ = try GateFile.parse(data, path: Self.fileName) }
    case .results:
      let path = scratchFile(data)
      return judge(naming: path) {
        let results = try RunResults.load(path, catalogue: catalogue)
        Self.drawEverything(results)
      }
    case .baseline:
      let path = scratchFile(data)
      return judge(naming: path) { _ = try GateCommand.loadBaseline(path) }
    case .workerEvents:
      return Self.workerEvents(data)
    case .workerRequest:
      return judge(naming: nil) { _ = try WorkerRequest.decode(data) }
    case .pythonRung:
      return Self.pythonRung(data)
    case .commandLine:
      let arguments = String(decoding: data, as: UTF8.self)
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      return judge(naming: nil) { try Command.validate(arguments) }
    case .callgrind:
      do {
        let events = try CallgrindOutput.parse(String(decoding: data, as: UTF8.self))
        _ = CallgrindOutput.estimatedCycles(events)
        return .accepted
      } catch let error as CountError {
        if let problem = Self.problem(with: error.description, naming: nil) { return .broken(problem) }
        return .rejected(error.description)
      } catch {
        return .broken("not a CountError: \(type(of: error)): \(error)")
      }
    }
  }

  // MARK: Judging

  /// Runs `parse`: accepted, rejected with a one-line usage error (naming `file`
  /// when given), or broken.
  private func judge(naming file: String?, _ parse: () throws -> Void) -> ParserVerdict {
    do {
      try parse()
      return .accepted
    } catch let error as UsageError {
      if let problem = Self.problem(with: error.message, naming: file) { return .broken(problem) }
      return .rejected(error.message)
    } catch {
      return .broken("not a usage error (exit 1, not 2): \(type(of: error)): \(error)")
    }
  }

  /// Why `message` breaks the one-line rule, or nil.
  static func problem(with message: String, naming file: String?) -> String? {
    if message.isEmpty { return "an empty message" }
    if message.contains(where: \.isNewline) { return "a message on more than one line: \(message.debugDescription)" }
    if let file, !message.contains(file) { return "a message that does not name \(file): \(message)" }
    return nil
  }

  // MARK: Inputs that are not one file

  /// The file a path-taking parser reads: one per process and target,
  /// rewritten for every input. Per target, because the corpus replay feeds
  /// the targets in parallel, and a shared file was rewritten by one target
  /// while another read it.
  private func scratchFile(_ data: Data) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speedladder-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("\(rawValue)-\(Self.fileName)")
    do {
      try data.write(to: url)
    } catch {
      fatalError("cannot write the fuzz input to \(url.path): \(error)")
    }
    return url.path
  }

  /// What `explain --from` and `report --from` draw from a run they read.
  private static func drawEverything(_ results: RunResults) {
    let explanation = Explanation(results)
    var drawn = explanation.overview.count + TextTable(results).text.count + MarkdownReport(results).text.count
      + CSVReport(results).text.count
    for kernel in results.kernels { drawn += explanation.kernel(kernel).count }
    drawn += ReportPage(results).files.count  // every chart and page, drawn in memory
    precondition(drawn > 0, "a run draws to nothing")
  }

  /// The orchestrator's reading of a worker's output: undecodable lines are
  /// skipped (a worker's stray output must not end the run); the cells are
  /// cross-verified and tabulated as a run would be.
  private static func workerEvents(_ data: Data) -> ParserVerdict {
    let decoder = JSONDecoder()
    var cells: [CellResult] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
      if case .cell(let cell)? = try? decoder.decode(WorkerEvent.self, from: Data(line)) { cells.append(cell) }
    }
    crossVerify(&cells, catalogue: catalogue)
    let results = RunResults(
      settings: RunSettings(size: "tiny", minTimeMilliseconds: 1, samples: 1, threads: [1]),
      provenance: workerProvenance, cells: cells.sorted { catalogue.lists($0.id, before: $1.id) })
    _ = TextTable(results).text
    return .accepted
  }

  /// This machine, found once (it runs `swift --version`).
  private static let workerProvenance = Provenance.here(packageRoot: nil)

  /// The cell the python-rung target asks rung.py for.
  package static let pythonCell = InterpretedID(kernel: "mandelbrot", implementation: .cpython)
  package static let pythonSize = 200
  /// Exit statuses the first byte picks from: PROTOCOL.md's, an unknown one, and a signal.
  private static let pythonStatuses: [(status: Int32, signalled: Bool)] = [
    (0, false), (3, false), (4, false), (1, false), (9, true),
  ]

  private static func pythonRung(_ data: Data) -> ParserVerdict {
    guard let first = data.first else { return .accepted }
    let count = pythonStatuses.count
    let (status, signalled) = pythonStatuses[((Int(first) - Int(UInt8(ascii: "0"))) % count + count) % count]
    let rest = data.dropFirst()
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    let output = ProcessOutput(
      status: status, signalled: signalled, standardOutput: Data(rest[..<split]),
      standardError: String(decoding: rest[split...].dropFirst(), as: UTF8.self))
    let cell = InterpretedRungs.read(output, id: pythonCell, size: pythonSize)
    let detail = cell.verification.detail
    if let problem = problem(with: detail, naming: nil) { return .broken("cell detail: \(problem)") }
    return cell.verification.status == .crashed ? .rejected(detail) : .accepted
  }
}
