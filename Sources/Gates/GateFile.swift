// The gates file (bench/gates.json): what `benchmark gate` promises, read and
// checked line by line so that a typo is one clear error, not a silent pass.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import Reports
import Workers

// MARK: - Model

/// A rung of the ladder as a gate names it: `release·c·all`. `all` stays
/// symbolic until the gate runs, so one file serves machines of any size.
struct RungSpec: Hashable, CustomStringConvertible {
  var build: Build
  var flavour: Flavour
  /// nil for `all` (the active cores).
  var threads: Int?

  var description: String { "\(build.rawValue)·\(flavour.rawValue)·\(threads.map(String.init) ?? "all")" }

  func cell(kernel: String, cores: Int) -> CellID {
    CellID(kernel: kernel, flavour: flavour, build: build, threads: threads ?? cores)
  }

  /// Parses `release·c·1` (or with ASCII dots, `release.c.1`); nil with a reason.
  package static func parse(_ written: String) -> Result<RungSpec, GateFileProblem> {
    let text = written.trimmingCharacters(in: .whitespaces)
    let parts = text
      .split(whereSeparator: { $0 == "·" || $0 == "." }).map(String.init)
    guard parts.count == 3 else {
      return .failure(.init("'\(text)' is not a rung; write build·flavour·threads, e.g. release·c·1"))
    }
    guard let build = Build(rawValue: parts[0]) else {
      return .failure(.init("unknown build '\(parts[0])' in '\(text)'; valid builds: \(Build.allCases.map(\.rawValue).joined(separator: ", "))"))
    }
    guard let flavour = Flavour(rawValue: parts[1]) else {
      return .failure(.init("unknown flavour '\(parts[1])' in '\(text)'; valid flavours: \(Flavour.validNames)"))
    }
    if build == .debug && flavour.leftOutOfDebugByDefault {
      // A run leaves it out unless --flavours names it, and a gate's run does not: it could never be measured.
      return .failure(
        .init("'\(text)' is never measured: the debug build leaves out the \(flavour.rawValue) flavour (unspecialised calls at -Onone); gate release·\(flavour.rawValue) instead"))
    }
    if parts[2] == "all" { return .success(RungSpec(build: build, flavour: flavour, threads: nil)) }
    guard let threads = Int(parts[2]), (1...1024).contains(threads) else {
      return .failure(.init("'\(parts[2])' in '\(text)' is not a thread count; use a number or all"))
    }
    return .success(RungSpec(build: build, flavour: flavour, threads: threads))
  }
}

/// Which way a gate's ratio must lie.
enum Bound: Equatable {
  /// The ratio must be at most this (a slowdown limit).
  case atMost(Double)
  /// The ratio must be at least this (a promised speed-up).
  case atLeast(Double)

  var threshold: Double {
    switch self {
    case .atMost(let value), .atLeast(let value): value
    }
  }

  /// Three significant digits, unless that changes the number: a count
  /// gate's 1.015 must not read as 1.01.
  private static func written(_ value: Double) -> String {
    let short = significant(value)
    return Double(short) == value ? short : String(format: "%g", value)
  }

  /// `≤ 1.15` — how the report writes the promise.
  package var text: String {
    switch self {
    case .atMost(let value): "≤ \(Self.written(value))"
    case .atLeast(let value): "≥ \(Self.written(value))"
    }
  }
}

/// One gate as written in the file.
struct GateSpec: Equatable {
  enum Kind: Equatable {
    /// time(numerator) ÷ time(denominator), both measured in this run.
    case ratio(RungSpec, RungSpec)
    /// time(rung now) ÷ time(rung in the baseline file).
    case baseline(RungSpec)
  }

  enum Combine: String, Equatable {
    /// One verdict per kernel.
    case each
    /// One verdict on the geometric mean of the kernels' ratios.
    case geomean
  }

  var name: String
  var why: String?
  var kernels: [String]
  var combine: Combine
  var kind: Kind
  var bound: Bound
  /// What the ratio is of: times (the default), valgrind's instruction
  /// counts of the timed regions, or both (two verdicts).
  var measure: Measure = .time

  /// `release·unsafe·1 / release·c·1 ≤ 1.15`.
  var formula: String {
    switch kind {
    case .ratio(let a, let b): "\(a) / \(b) \(bound.text)"
    case .baseline(let rung): "\(rung) now / baseline \(bound.text)"
    }
  }
}

/// A parsed gates file.
package struct GateFile: Equatable {
  static let schema = "speedladder.gates"
  static let defaultPath = "bench/gates.json"

  var path: String
  /// `tiny`, `quick`, `full` or a number, for every kernel the gates name.
  var size = SizeRequest()
  var minTimeMilliseconds = 50.0
  var samples = 5
  /// How many times a gate whose band straddles its threshold is measured
  /// again (the first of them also confirms a failure).
  var remeasure = 3
  var clock = Clock.auto
  /// The size counted cells run at (`"countedSize"`; default `size`): a count
  /// needs no long run, and under valgrind every run is tens of times slower.
  var countedSize: SizeRequest?
  var gates: [GateSpec] = []
}

/// Which time a gate compares.
enum Clock: String, Equatable {
  /// One-thread cells by the process's CPU time, which other processes
  /// time-slicing the machine do not inflate; multi-thread cells by wall time
  /// (their point is to finish sooner), watched for other processes' load.
  case auto
  /// Wall time for every cell.
  case wall
}

/// What is wrong with a piece of a gates file; the parser adds file and position.
struct GateFileProblem: Error, Equatable {
  package var message: String
  init(_ message: String) { self.message = message }
}

// MARK: - Parsing

extension GateFile {
  static let topKeys = [
    "schema", "version", "about", "size", "countedSize", "minTimeMilliseconds", "samples", "remeasure", "clock", "gates",
  ]
  static let gateKeys = ["name", "why", "kernels", "combine", "ratio", "baseline", "atMost", "atLeast", "measure"]

  /// Reads and checks the file at `path`; every problem is a one-line `UsageError`.
  package static func load(_ path: String) throws -> GateFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw UsageError("\(path): \(exists ? "cannot be read" : "no such gates file")")
    }
    return try parse(data, path: path)
  }

  package static func parse(_ data: Data, path: String) throws -> GateFile {
    let text = String(decoding: data, as: UTF8.self)
    func fail(_ position: String, _ message: String) -> UsageError {
      UsageError("\(path): \(position): \(message)")
    }
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw UsageError("\(path): the file is empty; see bench/GATES.md for the format")
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw fail(jsonErrorPosition(error, in: text), jsonProblem(data) ?? "not valid JSON")
    }
    guard let top = object as? [String: Any] else {
      throw fail("line 1", "expected a JSON object with \"gates\": [...]")
    }
    if let unknown = top.keys.sorted().first(where: { !topKeys.contains($0) }) {
      throw fail(
        "\"\(unknown)\" (\(lineOf("\"\(unknown)\"", in: text)))",
        "unknown key; valid keys: \(topKeys.joined(separator: ", "))")
    }
    if let schema = top["schema"], schema as? String != Self.schema {
      throw fail("schema", "expected \"\(Self.schema)\"")
    }
    if let version = top["version"], (version as? Int) != 1 {
      throw fail("version", "this SpeedLadder reads version 1")
    }
    var file = GateFile(path: path)
    /// `"size"` or `"countedSize"`: a preset or a positive number (string or
    /// integer), for every kernel; nil when the key is absent.
    func size(_ key: String) throws -> SizeRequest? {
      guard let given = top[key] else { return nil }
      let value = (given as? String) ?? (given as? Int).map(String.init)
      guard let value, KernelSizes.names.contains(value) || (Int(value) ?? 0) > 0, let size = try? SizeRequest(value)
      else {
        throw fail(key, "use \"tiny\", \"quick\", \"full\" or a positive number")
      }
      return size
    }
    if let size = try size("size") { file.size = size }
    file.countedSize = try size("countedSize")
    if let value = top["minTimeMilliseconds"] {
      guard let ms = number(value), ms > 0, ms <= 60_000 else {
        throw fail("minTimeMilliseconds", "got \(jsonText(value)); use milliseconds more than 0 and at most 60000, e.g. 50")
      }
      file.minTimeMilliseconds = ms
    }
    if let value = top["samples"] {
      guard let count = integer(value), (2...1_000).contains(count) else {
        throw fail("samples", "use a count in 2...1000 (a band needs at least two samples)")
      }
      file.samples = count
    }
    if let value = top["remeasure"] {
      guard let count = integer(value), (0...10).contains(count) else {
        throw fail("remeasure", "use a count in 0...10")
      }
      file.remeasure = count
    }
    if let value = top["clock"] {
      guard let text = value as? String, let clock = Clock(rawValue: text) else {
        throw fail("clock", "use \"auto\" (CPU time for one-thread cells) or \"wall\"")
      }
      file.clock = clock
    }
    guard let gates = top["gates"] as? [Any] else {
      throw fail("gates", top["gates"] == nil ? "missing; add \"gates\": [ … ]" : "must be a list of gates")
    }
    guard !gates.isEmpty else { throw fail("gates", "the list is empty; add a gate (see bench/GATES.md)") }
    for (index, entry) in gates.enumerated() {
      let gate = try parseGate(entry, index: index, text: text, fail: fail)
      if file.gates.contains(where: { $0.name == gate.name }) {
        throw fail("gates[\(index)] \"\(gate.name)\"", "a gate with this name comes earlier; names must be unique")
      }
      file.gates.append(gate)
    }
    // Every kernel a gate names must take the file's size.
    var options = RunPlan()
    options.kernels = catalogue.map(\.name).filter(Set(file.gates.flatMap(\.kernels)).contains)
    for (key, size) in [("size", file.size), ("countedSize", file.countedSize)] {
      guard let size else { continue }
      options.size = size
      do {
        _ = try options.sizes()
      } catch let error as UsageError {
        throw fail(key, error.message.replacingOccurrences(of: "--size ", with: ""))
      }
    }
    return file
  }

  private static func parseGate(
    _ entry: Any, index: Int, text: String, fail: (String, String) -> UsageError
  ) throws -> GateSpec {
    guard let gate = entry as? [String: Any] else {
      throw fail("gates[\(index)]", "each gate is a JSON object")
    }
    guard let name = gate["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw fail("gates[\(index)]", "needs a \"name\"")
    }
    let at = "gates[\(index)] \"\(name)\" (\(lineOf("\"\(name)\"", in: text)))"
    if let unknown = gate.keys.sorted().first(where: { !gateKeys.contains($0) }) {
      throw fail(at, "unknown key \"\(unknown)\"; valid keys: \(gateKeys.joined(separator: ", "))")
    }
    let kernels: [String]
    switch gate["kernels"] {
    case let all as String where all == "all":
      kernels = catalogue.filter { !$0.isIOBound }.map(\.name)  // the default run's kernels
    case let list as [Any] where !list.isEmpty:
      kernels = try list.map { item in
        guard let name = item as? String, Kernels.kernel(named: name) != nil else {
          throw fail(
            at, "unknown kernel \(item) in \"kernels\"; valid kernels: \(catalogue.validNames)")
        }
        return name
      }
    case nil:
      throw fail(at, "needs \"kernels\": \"all\" or a list such as [\"mandelbrot\"]")
    default:
      throw fail(at, "\"kernels\" must be \"all\" or a non-empty list of kernel names")
    }
    var combine = GateSpec.Combine.each
    if let value = gate["combine"] {
      guard let text = value as? String, let parsed = GateSpec.Combine(rawValue: text) else {
        throw fail(at, "\"combine\" must be \"each\" (one verdict per kernel) or \"geomean\"")
      }
      combine = parsed
    }
    func rung(_ text: String) throws -> RungSpec {
      switch RungSpec.parse(text) {
      case .success(let rung): return rung
      case .failure(let problem): throw fail(at, problem.message)
      }
    }
    let kind: GateSpec.Kind
    switch (gate["ratio"], gate["baseline"]) {
    case (let ratio as String, nil):
      let sides = ratio.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      guard sides.count == 2 else {
        throw fail(at, "\"ratio\" must read \"A / B\" (time of A over time of B), e.g. \"release·unsafe·1 / release·c·1\"")
      }
      let (a, b) = (try rung(sides[0]), try rung(sides[1]))
      guard a != b else { throw fail(at, "\"ratio\" compares \(a) with itself") }
      kind = .ratio(a, b)
    case (nil, let baseline as String):
      kind = .baseline(try rung(baseline))
    case (nil, nil):
      throw fail(at, "needs \"ratio\": \"A / B\" or \"baseline\": \"build·flavour·threads\"")
    case (.some, .some):
      throw fail(at, "has both \"ratio\" and \"baseline\"; a gate is one or the other")
    default:
      throw fail(at, "\"ratio\" and \"baseline\" are strings, e.g. \"release·c·1\"")
    }
    let bound: Bound
    switch (gate["atMost"], gate["atLeast"]) {
    case (let value?, nil):
      guard let limit = number(value), limit > 0, limit.isFinite else {
        throw fail(at, "\"atMost\" must be a positive number, got \(jsonText(value))")
      }
      bound = .atMost(limit)
    case (nil, let value?):
      guard let limit = number(value), limit > 0, limit.isFinite else {
        throw fail(at, "\"atLeast\" must be a positive number, got \(jsonText(value))")
      }
      bound = .atLeast(limit)
    case (nil, nil):
      throw fail(at, "needs a threshold: \"atMost\": 1.15 or \"atLeast\": 3")
    default:
      throw fail(at, "has both \"atMost\" and \"atLeast\"; write two gates")
    }
    var measure = Measure.time
    if let value = gate["measure"] {
      guard let text = value as? String, let parsed = Measure(rawValue: text) else {
        throw fail(at, "\"measure\" must be \"time\" (the default), \"instructions\" or \"both\"")
      }
      measure = parsed
    }
    if measure.counts {
      let rungs: [RungSpec]
      switch kind {
      case .ratio(let a, let b): rungs = [a, b]
      case .baseline(let rung): rungs = [rung]
      }
      if let many = rungs.first(where: { $0.threads != 1 }) {
        throw fail(
          at,
          "counts instructions of \(many), but instruction counts are of one-thread cells (valgrind counts only the thread that runs the timed region)")
      }
    }
    return GateSpec(
      name: name, why: gate["why"] as? String, kernels: kernels, combine: combine, kind: kind, bound: bound,
      measure: measure)
  }

  // MARK: Helpers

  /// A JSON number (not a string, not a boolean).
  private static func number(_ value: Any) -> Double? {
    // Foundation hands JSON true/false over as NSNumber too; their type code is "c".
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
    return number.doubleValue
  }

  private static func integer(_ value: Any) -> Int? {
    guard let double = number(value), double == double.rounded(), abs(double) < 1e9 else { return nil }
    return Int(double)
  }

  /// "line L, column C" for Foundation's "around character N", or "line 1" at worst.
  private static func jsonErrorPosition(_ error: Error, in text: String) -> String {
    let debug = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? ""
    if debug.contains("end of file") {
      return "line \(text.split(separator: "\n", omittingEmptySubsequences: false).count) (unexpected end of file)"
    }
    guard let range = debug.range(of: #"character (\d+)"#, options: .regularExpression),
      let offset = Int(debug[range].dropFirst("character ".count))
    else { return "line 1" }
    var line = 1
    var column = 1
    for byte in text.utf8.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return "line \(line), column \(column)"
  }

  /// "line N" of the first occurrence of `needle`, for errors found after JSON parsing.
  private static func lineOf(_ needle: String, in text: String) -> String {
    guard let range = text.range(of: needle) else { return "line ?" }
    return "line \(text[..<range.lowerBound].filter { $0 == "\n" }.count + 1)"
  }
}

/// A JSON value as the file spells it, for errors: the string "1.1" in
/// quotes (so `"atMost": "1.1"` is not reported as "got 1.1"), a number bare.
func jsonText(_ value: Any) -> String {
  switch value {
  case let text as String: "the string \"\(text)\" (write numbers without quotes)"
  case is NSNull: "null"
  default:
    (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
      .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
  }
}
