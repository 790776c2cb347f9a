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
  public var kernels: [String] = catalogue.map(\.name)
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
  /// Worker only: cells an earlier attempt crashed in.
  public var excluded: [CellID] = []

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
    return arguments
  }
}

/// A parsed command line.
public enum Command: Equatable {
  case run(RunOptions)
  case list
  case help
  case version
  /// Hidden: measure this build's cells and stream them to standard output as JSON lines.
  case worker(RunOptions)
}

// MARK: - Parsing

extension Command {
  static let subcommands = ["run", "list", "help"]

  /// Parses `arguments` (without the program name).
  public static func parse(_ arguments: [String]) throws -> Command {
    var rest = arguments[...]
    if rest.contains("--help") || rest.contains("-h") { return .help }
    if rest.contains("--version") { return .version }
    var subcommand = "run"
    if let first = rest.first, !first.hasPrefix("-") {
      guard subcommands.contains(first) || first == "worker" else {
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
    case "worker":
      return .worker(try parseRunOptions(rest, worker: true))
    default:
      return .run(try parseRunOptions(rest, worker: false))
    }
  }

  private static let runOptions = [
    "--kernels", "--flavours", "--builds", "--threads", "--size", "--min-time", "--samples",
    "--format", "--output",
  ]

  private static func parseRunOptions(_ arguments: ArraySlice<String>, worker: Bool) throws -> RunOptions {
    var options = RunOptions()
    var rest = arguments
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("--") else {
        throw UsageError("unexpected argument '\(argument)'; options start with --, see 'benchmark --help'")
      }
      var name = argument
      var value: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      let known = runOptions + (worker ? ["--exclude"] : [])
      guard known.contains(name) else {
        throw UsageError("unknown option '\(name)'; valid options: \(runOptions.joined(separator: ", "))")
      }
      if value == nil {
        guard let next = rest.first, !next.hasPrefix("--") else {
          throw UsageError("option '\(name)' needs a value\(hint(for: name))")
        }
        value = next
        rest = rest.dropFirst()
      }
      try apply(name, value!, to: &options)
    }
    _ = try options.sizes()  // every selected kernel can take the size
    return options
  }

  private static func hint(for option: String) -> String {
    switch option {
    case "--kernels": "; valid kernels: \(catalogue.map(\.name).joined(separator: ", "))"
    case "--flavours": "; valid flavours: idiomatic, unsafe, c"
    case "--builds": "; valid builds: debug, release"
    case "--threads": ": a list such as 1,all or 1,2,4"
    case "--size": ": tiny, quick, full or a number"
    case "--min-time": ": milliseconds per sample, e.g. 50"
    case "--samples": ": a count, e.g. 5"
    case "--format": "; valid formats: table, json, csv, markdown"
    case "--output": ": a file path"
    default: ""
    }
  }

  private static func apply(_ name: String, _ value: String, to options: inout RunOptions) throws {
    switch name {
    case "--kernels":
      options.kernels = try list(value, name) { item in
        guard kernel(named: item) != nil else {
          throw UsageError(
            "unknown kernel '\(item)'; valid kernels: \(catalogue.map(\.name).joined(separator: ", "))")
        }
        return item
      }
    case "--flavours":
      options.flavours = try list(value, name) { item in
        guard let flavour = Flavour(rawValue: item) else {
          throw UsageError("unknown flavour '\(item)'; valid flavours: idiomatic, unsafe, c")
        }
        return flavour
      }.uniqueSorted()
    case "--builds":
      options.builds = try list(value, name) { item in
        guard let build = Build(rawValue: item) else {
          throw UsageError("unknown build '\(item)'; valid builds: debug, release")
        }
        return build
      }.uniqueSorted()
    case "--threads":
      let cores = activeCores()
      let limit = maxThreads
      options.threads = try list(value, name) { item in
        if item == "all" { return cores }
        guard let count = Int(item) else {
          throw UsageError("--threads: '\(item)' is not a thread count; use numbers or 'all', e.g. 1,all")
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
    case "--exclude":
      options.excluded = try list(value, name) { item in
        guard let id = CellID(item) else { throw UsageError("--exclude: '\(item)' is not a cell") }
        return id
      }
    default:
      preconditionFailure("unhandled option \(name)")
    }
  }

  private static func list<T>(_ value: String, _ name: String, _ item: (String) throws -> T) throws -> [T] {
    let items = value.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !items.contains(where: \.isEmpty) else {
      throw UsageError("option '\(name)' needs a comma-separated list without empty items\(hint(for: name))")
    }
    return try items.map(item)
  }

  /// The most threads `--threads` accepts.
  static var maxThreads: Int { 16 * activeCores() }

  /// Fails unless a file can be created at `path` (its folder exists and is
  /// writable, and it is not itself a folder). Writes nothing.
  static func checkWritable(_ path: String) throws {
    guard !path.isEmpty else { throw UsageError("--output needs a file path") }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw UsageError("--output: '\(path)' is a folder; give a file path")
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw UsageError("--output: cannot write '\(path)': folder '\(folder)' does not exist")
    }
    guard access(folder, W_OK) == 0 else {
      throw UsageError("--output: cannot write '\(path)': folder '\(folder)' is not writable")
    }
  }
}

extension Array where Element: Comparable & Hashable {
  func uniqueSorted() -> [Element] { Array(Set(self)).sorted() }
}
