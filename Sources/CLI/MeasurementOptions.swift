// The options that choose and measure cells, declared once and shared by
// every subcommand that measures (`run`, `explain`, `report`).

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import Workers

enum MeasurementOptions {
  /// `--kernels`, `--flavours`, `--builds`, `--threads`, `--size`, `--min-time`, `--samples`.
  static var all: [Option<RunPlan>] {
    let defaults = RunPlan()
    let ioBound = catalogue.filter(\.isIOBound).map(\.name).joined(separator: ", ")
    return [
      Option(
        "--kernels", "LIST", help: "Kernels to run, comma-separated; see `benchmark list`.",
        default: "every CPU-bound kernel, i.e. all but \(ioBound)", valid: catalogue.map(\.name)
      ) { plan, value in
        // A kernel named twice is measured once, as --builds, --flavours and --threads merge theirs.
        var seen: Set<String> = []
        plan.kernels = try commaList(value, "--kernels") { item in
          try requireKernel(item, in: catalogue)
          return item
        }.filter { seen.insert($0).inserted }
      },
      Option(
        "--flavours", "LIST",
        help: "Flavours to measure; a kernel without vector flavours skips those, with the reason.",
        default: "all (the debug build leaves out vector and span unless named)", valid: names(of: Flavour.self)
      ) { plan, value in
        plan.flavoursGiven = true
        plan.flavours = try commaList(value, "--flavours") { try oneOf($0, "flavour") as Flavour }.uniqueSorted()
      },
      Option(
        "--builds", "LIST", help: "Build configurations to measure.",
        default: defaults.builds.map(\.rawValue).joined(separator: ","), valid: names(of: Build.self)
      ) { plan, value in
        plan.builds = try commaList(value, "--builds") { try oneOf($0, "build") as Build }.uniqueSorted()
      },
      Option(
        "--threads", "LIST",
        help: "Thread counts, e.g. 1,2,4; `all` is the active cores; `sweep` is 1, 2, … twice the cores (oversubscription).",
        default: "1,all"
      ) { plan, value in plan.threads = try threads(value) },
      Option(
        "--size", "SIZE",
        help: "tiny, quick or full (each kernel's own size, see `benchmark list`); a number, the size of every selected kernel (so, with --kernels K); or per-kernel sizes KERNEL=N,… after an optional size for the rest: --size mandelbrot=4000,sieve=100000000 or --size full,sieve=1000.",
        default: defaults.size.description
      ) { plan, value in plan.size = try SizeRequest(value) },
      Option(
        "--min-time", "MS", help: "Minimum duration of one timed sample, in milliseconds: more than 0, at most 60000.",
        default: String(format: "%g", defaults.minTimeMilliseconds)
      ) { plan, value in plan.minTimeMilliseconds = try milliseconds(value) },
      Option(
        "--samples", "N",
        help: "Exactly N samples per cell, 1 to 1000. Without it, each cell samples until its median is as precise as its place in the report needs (\(percent(SamplingRole.ladder.target)) on the ladder, \(percent(SamplingRole.matrix.target)) elsewhere, \(percent(SamplingRole.debugLadder.target)) in debug; more while a comparison straddles 1.05× or 1.10×), within a cap; the JSON records each cell's precision and why it stopped.",
        default: "adaptive (bench/SCHEMA.md, \"Sampling\")"
      ) { plan, value in plan.samples = try sampleCount(value) },
    ]
  }

  /// The measurement options called `names`, in `all`'s order.
  static func named(_ names: [String]) -> [Option<RunPlan>] {
    precondition(names.allSatisfy { name in all.contains { $0.name == name } }, "no such measurement option")
    return all.filter { names.contains($0.name) }
  }

  // MARK: - Values

  /// The most threads `--threads` accepts.
  static var maxThreads: Int { 16 * activeCores() }

  static func threads(_ value: String) throws -> [Int] {
    let cores = activeCores()
    if value == "sweep" { return sweepThreads(cores: cores) }
    return try commaList(value, "--threads") { item in
      if item == "all" { return cores }
      guard let count = Int(item) else {
        throw UsageError("--threads: '\(item)' is not a thread count; use numbers or 'all', e.g. 1,all, or 'sweep'")
      }
      guard (1...maxThreads).contains(count) else {
        throw UsageError("--threads: \(count) is out of range; use 1...\(maxThreads) (16 × \(cores) cores) or 'all'")
      }
      return count
    }.uniqueSorted()
  }

  static func milliseconds(_ value: String) throws -> Double {
    guard let ms = Double(value), ms > 0, ms <= 60_000 else {
      throw UsageError(
        "--min-time: '\(value)' is not a time; use milliseconds more than 0 and at most 60000, e.g. 50")
    }
    return ms
  }

  static func sampleCount(_ value: String) throws -> Int {
    guard let count = Int(value), (1...1_000).contains(count) else {
      throw UsageError("--samples: '\(value)' is not a count; use 1...1000")
    }
    return count
  }
}

/// 0.03 as "3%", for help text that quotes the sampling roles' targets.
private func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
