// The command line, parsed by hand with the habits of swift-argument-parser
// tools: subcommands, `--flag value` and `--flag=value`, one-line errors.

import Foundation
import KernelKit
import Kernels

/// A command line that cannot be run: one line naming the problem and the
/// valid choices. Exit status 2; nothing is measured or written.
public struct UsageError: Error, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Output formats for results.
public enum OutputFormat: String, CaseIterable, Sendable {
  case table, json, csv, markdown

  /// The format a file name implies (`.json`, `.csv`, `.md`), if any.
  static func implied(by path: String) -> OutputFormat? {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "json": .json
    case "csv": .csv
    case "md", "markdown": .markdown
    case "txt": .table
    default: nil
    }
  }
}

/// What `run` (and a worker) was asked to do.
public struct RunOptions: Equatable, Sendable {
  /// Default: every CPU-bound kernel (I/O-bound ones only when named).
  public var kernels: [String] = catalogue.filter { !$0.isIOBound }.map(\.name)
  public var flavours: [Flavour] = Flavour.allCases
  public var builds: [Build] = Build.allCases
  /// Thread counts, resolved ("all" → active cores), ascending, no repeats.
  public var threads: [Int] = [1, activeCores()].uniqueSorted()
  /// As given: `tiny`, `quick`, `full` or a number.
  public var size = "quick"
  public var minTimeMilliseconds = 50.0
  public var samples = 5
  public var format: OutputFormat?
  public var output: String?
  /// Also run the interpreted rungs (CPython, PyPy, Cython) after the Swift cells.
  public var interpreters = false
  /// Worker only: cells an earlier attempt crashed in.
  public var excluded: [CellID] = []
  // Concurrency (Backend.swift, Concurrency.swift).
  public var backend: Backend = .threads
  public var gil = false
  public var timeLimitSeconds = defaultTimeLimit
  /// Kernel × flavour pairs made to do more real work (`--inject-slowdown`), to prove gates.
  public var slowdowns: [Slowdown] = []
  /// When set, only these cells of the kernels × flavours × threads product
  /// (what `benchmark gate` needs); nil measures the whole product.
  public var onlyCells: [CellID]?
  /// `run --save-baseline FILE`: also write the results as JSON there, for `gate --baseline`.
  public var saveBaseline: String?

  public init() {}

  /// The size each selected kernel runs at.
  public func sizes() throws -> [String: Int] {
    var sizes: [String: Int] = [:]
    for name in kernels {
      let kernel = Kernels.kernel(named: name)!
      let size = kernel.sizes[size] ?? Int(size.replacingOccurrences(of: "_", with: ""))!
      do {
        try kernel.validate(size: size)
      } catch let error as SizeError {
        throw UsageError("--size \(self.size): \(error)")
      }
      sizes[name] = size
    }
    return sizes
  }

  /// Arguments that make a worker measure the same cells (without builds or output).
  func workerArguments() -> [String] {
    var arguments = [
      "--kernels", kernels.joined(separator: ","),
      "--flavours", flavours.map(\.rawValue).joined(separator: ","),
      "--threads", threads.map(String.init).joined(separator: ","),
      "--size", size,
      "--min-time", String(minTimeMilliseconds),
      "--samples", String(samples),
    ]
    if !excluded.isEmpty {
      arguments += ["--exclude", excluded.map(\.description).joined(separator: ",")]
    }
    for slowdown in slowdowns { arguments += ["--inject-slowdown", slowdown.description] }
    if let onlyCells {
      arguments += ["--cells", onlyCells.map(\.description).joined(separator: ",")]
    }
    return arguments + concurrencyArguments()
  }
}

/// A parsed command line.
public enum Command: Equatable {
  case run(RunOptions)
  case list
  case explain(ExplainOptions)
  case help
  case version
  /// Charts and tables of a run (measured now, or read with `--from`).
  case report(ReportOptions)
  /// Hidden: measure this build's cells and stream them to standard output as JSON lines.
  case worker(RunOptions)
  /// Hidden: one worker process of the process backend (ChunksCommand.swift).
  case chunks(ChunkJob)
  /// The lesson table: threads, processes, tasks and a GIL, measured (Concurrency.swift).
  case concurrency(ConcurrencyOptions)
  case gate(GateOptions)
}

// MARK: - Parsing

extension Command {
  /// Public subcommands, as listed in errors and help. (`worker` is hidden.)
  static let subcommands = ["run", "list", "explain", "report", "gate", "concurrency", "help"]

  /// Parses `arguments` (without the program name).
  public static func parse(_ arguments: [String]) throws -> Command {
    var rest = arguments[...]
    if rest.contains("--help") || rest.contains("-h") { return .help }
    if rest.contains("--version") { return .version }
    var subcommand = "run"
    if let first = rest.first, !first.hasPrefix("-") {
      guard subcommands.contains(first) || first == "worker" || first == "chunks" else {
        throw UsageError(
          "unknown subcommand '\(first)'; valid subcommands: \(subcommands.joined(separator: ", "))")
      }
      subcommand = first
      rest = rest.dropFirst()
    }
    switch subcommand {
    case "list", "help":
      if let extra = rest.first {
        throw UsageError("'\(subcommand)' takes no arguments, got '\(extra)'")
      }
      return subcommand == "list" ? .list : .help
    case "explain":
      return .explain(try parseExplain(rest))
    case "report":
      return .report(try parseReportOptions(rest))
    case "worker":
      return .worker(try parseRunOptions(rest, spec: workerSpec, subcommand: "worker"))
    case "chunks":
      return .chunks(try parseChunks(rest))
    case "concurrency":
      return .concurrency(try parseConcurrency(rest))
    case "gate":
      return .gate(try parseGateOptions(rest))
    default:
      return .run(try parseRunOptions(rest, spec: runSpec, subcommand: "run"))
    }
  }

  /// The options that choose and measure cells, shared by every subcommand that measures.
  static let measurementOptions: [(name: String, hint: String)] = [
    ("--kernels", "; valid kernels: \(validKernels)"),
    ("--flavours", "; valid flavours: idiomatic, unsafe, c"),
    ("--builds", "; valid builds: debug, release"),
    ("--threads", ": a list such as 1,all or 1,2,4, or sweep"),
    ("--size", ": tiny, quick, full or a number"),
    ("--min-time", ": milliseconds per sample, e.g. 50"),
    ("--samples", ": a count, e.g. 5"),
  ]

  static let runSpec = OptionSpec(
    valued: measurementOptions + concurrencyOptions + [
      ("--format", "; valid formats: table, json, csv, markdown"),
      ("--output", ": a file path"),
      ("--save-baseline", ": a file path for `gate --baseline`"),
      ("--inject-slowdown", ": KERNEL/FLAVOUR=FACTOR, e.g. mandelbrot/unsafe=1.25"),
    ], switches: ["--interpreters", "--gil"])

  static let workerSpec = OptionSpec(valued: runSpec.valued, switches: runSpec.switches, hidden: ["--exclude", "--cells"])

  /// Parses measurement options into `RunOptions`, checking that every selected kernel takes the size.
  static func parseRunOptions(
    _ arguments: ArraySlice<String>, spec: OptionSpec, subcommand: String
  ) throws -> RunOptions {
    var options = RunOptions()
    for option in try spec.scan(arguments, subcommand: subcommand) {
      if try applyConcurrency(option, to: &options) { continue }
      try apply(option.name, option.value ?? "", to: &options)
    }
    _ = try options.sizes()  // every selected kernel can take the size
    return options
  }

  /// Applies one measurement or output option to `options`.
  static func apply(_ name: String, _ value: String, to options: inout RunOptions) throws {
    switch name {
    case "--kernels":
      options.kernels = try commaList(value, name) { item in
        try requireKernel(item)
        return item
      }
    case "--flavours":
      options.flavours = try commaList(value, name) { item in
        guard let flavour = Flavour(rawValue: item) else {
          throw UsageError("unknown flavour '\(item)'; valid flavours: idiomatic, unsafe, c")
        }
        return flavour
      }.uniqueSorted()
    case "--builds":
      options.builds = try commaList(value, name) { item in
        guard let build = Build(rawValue: item) else {
          throw UsageError("unknown build '\(item)'; valid builds: debug, release")
        }
        return build
      }.uniqueSorted()
    case "--threads":
      let cores = activeCores()
      let limit = maxThreads
      if value == "sweep" {
        options.threads = Command.sweepThreads(cores: cores)
        return
      }
      options.threads = try commaList(value, name) { item in
        if item == "all" { return cores }
        guard let count = Int(item) else {
          throw UsageError("--threads: '\(item)' is not a thread count; use numbers or 'all', e.g. 1,all, or 'sweep'")
        }
        guard (1...limit).contains(count) else {
          throw UsageError("--threads: \(count) is out of range; use 1...\(limit) (16 × \(cores) cores) or 'all'")
        }
        return count
      }.uniqueSorted()
    case "--size":
      if KernelSizes.names.contains(value) {
        options.size = value
      } else if let number = Int(value.replacingOccurrences(of: "_", with: "")) {
        guard number > 0 else { throw UsageError("--size: \(number) must be positive") }
        options.size = String(number)
      } else {
        throw UsageError("--size: '\(value)' is not a size; use tiny, quick, full or a positive number")
      }
    case "--min-time":
      guard let ms = Double(value), ms > 0, ms <= 60_000 else {
        throw UsageError("--min-time: '\(value)' is not a time; use milliseconds in 0...60000, e.g. 50")
      }
      options.minTimeMilliseconds = ms
    case "--samples":
      guard let count = Int(value), (1...1_000).contains(count) else {
        throw UsageError("--samples: '\(value)' is not a count; use 1...1000")
      }
      options.samples = count
    case "--format":
      guard let format = OutputFormat(rawValue: value) else {
        throw UsageError("unknown format '\(value)'; valid formats: table, json, csv, markdown")
      }
      options.format = format
    case "--output":
      try checkWritable(value)
      options.output = value
    case "--interpreters":
      options.interpreters = true
    case "--save-baseline":
      try checkWritable(value, option: name)
      options.saveBaseline = value
    case "--inject-slowdown":
      let slowdown = try Slowdown.parse(value)
      options.slowdowns.removeAll { $0.kernel == slowdown.kernel && $0.flavour == slowdown.flavour }
      options.slowdowns.append(slowdown)
    case "--cells":
      options.onlyCells = try commaList(value, name) { item in
        guard let id = CellID(item) else { throw UsageError("--cells: '\(item)' is not a cell") }
        return id
      }
    case "--exclude":
      options.excluded = try commaList(value, name) { item in
        guard let id = CellID(item) else { throw UsageError("--exclude: '\(item)' is not a cell") }
        return id
      }
    default:
      preconditionFailure("unhandled option \(name)")
    }
  }

  /// The most threads `--threads` accepts.
  static var maxThreads: Int { 16 * activeCores() }

  /// Fails unless a file can be created at `path` (its folder exists and is
  /// writable, and it is not itself a folder). Writes nothing.
  static func checkWritable(_ path: String, option: String = "--output") throws {
    guard !path.isEmpty else { throw UsageError("\(option) needs a file path") }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw UsageError("\(option): '\(path)' is a folder; give a file path")
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw UsageError("\(option): cannot write '\(path)': folder '\(folder)' does not exist")
    }
    guard canCreate(in: URL(fileURLWithPath: folder)) else {
      throw UsageError("\(option): cannot write '\(path)': folder '\(folder)' is not writable")
    }
  }
}

extension Array where Element: Comparable & Hashable {
  func uniqueSorted() -> [Element] { Array(Set(self)).sorted() }
}
