// What `run` (and each worker) is asked to measure: parsed from the command
// line by the CLI, sent to workers as one JSON document.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// What `run` (and a worker) was asked to do.
package struct RunPlan: Equatable, Sendable, Codable {
  /// Default: every CPU-bound kernel (I/O-bound ones only when named).
  package var kernels: [String] = catalogue.filter { !$0.isIOBound }.map(\.name)
  package var flavours: [Flavour] = Flavour.allCases
  /// Whether `--flavours` was given. When not, the debug build leaves out the
  /// flavours that `Flavour.leftOutOfDebugByDefault` names (docs/SPAN.md).
  package var flavoursGiven = false

  /// The flavours measured in `build`.
  package func flavours(in build: Build) -> [Flavour] {
    build == .debug && !flavoursGiven ? flavours.filter { !$0.leftOutOfDebugByDefault } : flavours
  }
  package var builds: [Build] = Build.allCases
  /// Thread counts, resolved ("all" → active cores), ascending, no repeats.
  package var threads: [Int] = [1, activeCores()].uniqueSorted()
  /// As given (`SizeRequest`'s spelling): `tiny`, `quick`, `full`, a number,
  /// or per-kernel sizes after an optional size for the rest (`full,sieve=1000`).
  package var size = "quick"
  package var minTimeMilliseconds = 30.0
  /// `--samples N`: exactly N samples a cell. nil (the default): each cell
  /// samples until its median is as precise as its place in the report needs
  /// (MeasurementKit/Sampling.swift).
  package var samples: Int?
  package var format: OutputFormat?
  package var output: String?
  /// Also run the interpreted rungs (CPython, PyPy, Cython) after the Swift cells.
  package var interpreters = false
  /// `--blas PATH` (or SPEEDLADDER_BLAS): the BLAS for matmul's tuned-library
  /// rung; `off` leaves the rung out; nil searches for one (BLASLocator).
  package var blas: String?
  /// Whether optimised builds measure this machine's limits. No option turns
  /// it off; a plan that needs no rates (a counted run) sets it false.
  package var measuresLimits = true
  /// Worker only: seconds an optimised build's worker spends measuring this
  /// machine's limits before its cells (nil: not measured, e.g. after a restart).
  package var limitsBudgetSeconds: Double?
  /// Worker only: what its status line adds (which kernel of the run, the time left).
  package var progressContext: ProgressContext?
  /// Worker only: cells an earlier attempt crashed in.
  package var excluded: [CellID] = []
  // Concurrency (Backend.swift, Concurrency.swift).
  package var backend: Backend = .threads
  package var gil = false
  package var timeLimitSeconds = defaultTimeLimit
  /// Kernel × flavour pairs made to do more real work (`--inject-slowdown`), to prove gates.
  package var slowdowns: [Slowdown] = []
  /// Kernel × flavour pairs with extra work in their timed region (`--inject-work`), to prove gates.
  package var injections: [WorkInjection] {
    get { injected ?? [] }
    set { injected = newValue.isEmpty ? nil : newValue }
  }
  /// Stored optional, so a plan written without it still decodes.
  private var injected: [WorkInjection]?
  /// `run --measure`: time (absent, the default) or instructions (valgrind
  /// counts the timed region of one-thread release cells).
  package var measure: Measure {
    get { measured ?? .time }
    set { measured = newValue == .time ? nil : newValue }
  }
  private var measured: Measure?
  /// Parent only: when set, workers run under this valgrind and count instead of timing.
  package var valgrind: String?
  /// `run --cache-sim`: counted workers also simulate the caches (`--cache-sim=yes`), for estimated cycles.
  package var cacheSimulation: Bool?
  /// Worker only: the callgrind dump-file prefix of a counted worker.
  package var countFile: String?
  /// When set, only these cells of the kernels × flavours × threads product
  /// (what `benchmark gate` needs); nil measures the whole product.
  package var onlyCells: [CellID]?
  /// `run --save-baseline FILE`: also write the results as JSON there, for `gate --baseline`.
  package var saveBaseline: String?

  package init() {}

  /// The size each selected kernel runs at (`size` resolved against `kernels`).
  package func sizes() throws -> [String: Int] {
    let request = try SizeRequest(size)
    if let stray = request.perKernel.keys.sorted().first(where: { !kernels.contains($0) }) {
      throw UsageError(
        "--size \(stray)=\(request.perKernel[stray]!): \(stray) is not measured (kernels: \(kernels.joined(separator: ", "))); add it to --kernels or leave it out of --size")
    }
    var sizes: [String: Int] = [:]
    for kernel in try selectedKernels() {
      let name = kernel.name
      let given = request.perKernel[name] ?? request.forAll
      // The part of --size that set this kernel's size, as typed (`size` holds it normalised: `quick,triad=…`).
      let typed = request.perKernel[name].map { "--size \(name)=\($0)" } ?? "--size \(given)"
      guard let size = kernel.sizes[given] ?? Int(given.replacingOccurrences(of: "_", with: "")) else {
        throw UsageError("\(typed): '\(given)' is not a size; use tiny, quick, full or a positive number")
      }
      do {
        try kernel.validate(size: size)
      } catch let error as SizeError {
        guard request.perKernel[name] == nil, Int(given) != nil, kernels.count > 1 else {
          throw UsageError("\(typed): \(error)")
        }
        // A bare number is every selected kernel's size: no one number suits them all.
        let example = try selectedKernels().prefix(2).map { "\($0.name)=\($0.sizes.quick)" }.joined(separator: ",")
        throw UsageError(
          "\(typed): \(error); a bare number is the size of every selected kernel (here \(kernels.count)), so name one with --kernels \(name), or give per-kernel sizes such as --size \(example)")
      }
      sizes[name] = size
    }
    return sizes
  }

  /// The selected kernels, looked up in the catalogue. The command line checked
  /// their names; a worker's plan and a gates file reach here unchecked.
  package func selectedKernels() throws -> [any Kernel] {
    try kernels.map { try requireKernel($0) }
  }

  /// The plan a worker is sent: the same cells, without builds or output.
  package func workerPlan() throws -> String {
    var plan = self
    (plan.format, plan.output, plan.saveBaseline, plan.interpreters) = (nil, nil, nil, false)
    return String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
  }

  /// The plan a worker was sent, or a usage error saying why it is not one.
  package static func decodeWorkerPlan(_ text: String) throws -> RunPlan {
    var plan: RunPlan
    do {
      plan = try JSONDecoder().decode(RunPlan.self, from: Data(text.utf8))
    } catch {
      throw UsageError("worker: the plan is not a RunPlan JSON document (\(error))")
    }
    // A kernel listed twice would give its cells twice (the runner keys them by cell): once is meant.
    var seen: Set<String> = []
    plan.kernels = plan.kernels.filter { seen.insert($0).inserted }
    // The worker trusts its plan (it looks its kernels up by name): refuse here
    // what the command line would have refused.
    do {
      _ = try plan.sizes()
    } catch let error as UsageError {
      throw UsageError("worker: the plan's \(error.message)")
    }
    guard plan.threads.allSatisfy({ $0 >= 1 }), (plan.samples ?? 1) >= 1, plan.minTimeMilliseconds > 0,
      plan.timeLimitSeconds > 0
    else {
      throw UsageError("worker: the plan needs threads, samples, a minimum time and a time limit above 0")
    }
    return plan
  }
}

/// What a worker's status line says about the whole run.
package struct ProgressContext: Equatable, Sendable, Codable {
  /// `kernel 3 of 10`.
  package var kernels: String
  /// The run's estimated seconds left when the worker starts; nil before any estimate.
  package var secondsLeft: Double?

  package init(kernels: String, secondsLeft: Double?) { (self.kernels, self.secondsLeft) = (kernels, secondsLeft) }
}

extension RunPlan {
  /// "All cores" on the ladder (`Ladder.topThreads`), from the plan's thread counts and this machine's cores.
  package var topThreads: Int { Ladder.topThreads(measured: threads, cores: activeCores()) }
}

/// What `--size` asks for: one size for every kernel not named (a preset or
/// a number), and sizes for named kernels: `quick`, `4000`,
/// `mandelbrot=4000,sieve=100000000`, `full,sieve=1000`.
package struct SizeRequest: Equatable, CustomStringConvertible {
  /// The size of every kernel not in `perKernel`: a preset name or a number.
  package var forAll = "quick"
  /// Kernel name → a preset name or a number.
  package var perKernel: [String: String] = [:]

  /// Parses `text`; throws a one-line `UsageError` for anything that is not sizes.
  package init(_ text: String) throws {
    var forAllGiven = false
    for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
      if let equals = item.firstIndex(of: "=") {
        let name = String(item[..<equals])
        try requireKernel(name, context: "--size: ")
        guard perKernel[name] == nil else { throw UsageError("--size: \(name) is given two sizes") }
        perKernel[name] = try Self.size(String(item[item.index(after: equals)...]))
      } else {
        guard !forAllGiven else {
          throw UsageError("--size: '\(text)' gives two sizes for every kernel; give one, and KERNEL=N for the others")
        }
        forAll = try Self.size(item)
        forAllGiven = true
      }
    }
  }

  /// `quick`, or `quick,mandelbrot=4000` (named kernels in catalogue order).
  package var description: String {
    let named = catalogue.map(\.name).filter { perKernel[$0] != nil }.map { "\($0)=\(perKernel[$0]!)" }
    return ([forAll] + named).joined(separator: ",")
  }

  /// A preset name, or a positive number without its `_` separators.
  private static func size(_ text: String) throws -> String {
    if KernelSizes.names.contains(text) { return text }
    guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
      throw UsageError(
        "--size: '\(text)' is not a size; use \(KernelSizes.names.joined(separator: ", ")), a positive number, or per-kernel sizes such as mandelbrot=4000,sieve=100000000")
    }
    guard number > 0 else { throw UsageError("--size: \(number) must be positive") }
    return String(number)
  }
}

extension Array where Element: Comparable & Hashable {
  package func uniqueSorted() -> [Element] { Array(Set(self)).sorted() }
}
