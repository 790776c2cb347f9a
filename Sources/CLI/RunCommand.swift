// The command line, parsed by hand with the habits of swift-argument-parser
// tools: subcommands, `--flag value` and `--flag=value`, one-line errors.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers




/// A parsed command line.
package enum Command: Equatable {
  case run(RunPlan)
  case list
  case explain(ExplainOptions)
  case help
  case version
  /// Charts and tables of a run (measured now, or read with `--from`).
  case report(ReportOptions)
  /// Hidden: measure this build's cells and stream them to standard output as JSON lines.
  case worker(RunPlan)
  /// Hidden: one worker process of the process backend (ChunksCommand.swift).
  case chunks(ChunkJob)
  /// The lesson table: threads, processes, tasks and a GIL, measured (Concurrency.swift).
  case concurrency(ConcurrencyOptions)
  case gate(GateOptions)
  /// Two saved runs, cell by cell (CompareCommand.swift).
  case compare(CompareOptions)
}

// MARK: - Parsing

extension Command {
  /// Public subcommands, as listed in errors and help. (`worker` is hidden.)
  static let subcommands = ["run", "list", "explain", "report", "gate", "compare", "concurrency", "help"]

  /// Parses `arguments` (without the program name).
  package static func parse(_ arguments: [String]) throws -> Command {
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
      // The plan arrives as one JSON document, written by `RunPlan.workerPlan()`.
      guard rest.count == 1, let plan = rest.first else {
        throw UsageError("worker (internal): takes one argument, the run plan as JSON")
      }
      return .worker(try RunPlan.decodeWorkerPlan(plan))
    case "chunks":
      return .chunks(try parseChunks(rest))
    case "concurrency":
      return .concurrency(try parseConcurrency(rest))
    case "gate":
      return .gate(try parseGateOptions(rest))
    case "compare":
      return .compare(try parseCompare(rest))
    default:
      return .run(try parseRunOptions(rest, spec: runSpec, subcommand: "run"))
    }
  }

  /// The options that choose and measure cells, shared by every subcommand that measures.
  static let measurementOptions: [(name: String, hint: String)] = [
    ("--kernels", "; valid kernels: \(validKernelNames)"),
    ("--flavours", "; valid flavours: \(Flavour.validNames)"),
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


  /// Parses measurement options into `RunPlan`, checking that every selected kernel takes the size.
  static func parseRunOptions(
    _ arguments: ArraySlice<String>, spec: OptionSpec, subcommand: String
  ) throws -> RunPlan {
    var options = RunPlan()
    for option in try spec.scan(arguments, subcommand: subcommand) {
      if try applyConcurrency(option, to: &options) { continue }
      try apply(option.name, option.value ?? "", to: &options)
    }
    _ = try options.sizes()  // every selected kernel can take the size
    return options
  }

  /// Applies one measurement or output option to `options`.
  static func apply(_ name: String, _ value: String, to options: inout RunPlan) throws {
    switch name {
    case "--kernels":
      options.kernels = try commaList(value, name) { item in
        try requireKernel(item)
        return item
      }
    case "--flavours":
      options.flavoursGiven = true
      options.flavours = try commaList(value, name) { item in
        guard let flavour = Flavour(rawValue: item) else {
          throw UsageError("unknown flavour '\(item)'; valid flavours: \(Flavour.validNames)")
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
        options.threads = sweepThreads(cores: cores)
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
      try FileChecks.checkWritable(value)
      options.output = value
    case "--interpreters":
      options.interpreters = true
    case "--save-baseline":
      try FileChecks.checkWritable(value, option: name)
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

}

