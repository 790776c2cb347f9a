// What `run` is asked to measure: parsed from the command line by the CLI (or
// made by `gate` from a gates file); each worker is sent its part of it as a
// `MeasureRequest` (WorkerProtocol).

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import WorkerProtocol

/// What `run` was asked to do.
package struct RunPlan: Equatable, Sendable {
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
  /// `--size`, parsed: a preset or a number for every kernel, and per-kernel
  /// sizes (`full,sieve=1000`); `sizes()` resolves it against the kernels.
  package var size = SizeRequest()
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
  // Concurrency (Backend.swift, Concurrency.swift).
  package var backend: Backend = .threads
  package var gil = false
  package var timeLimitSeconds = defaultTimeLimit
  /// Kernel × flavour pairs made to do more real work (`--inject-slowdown`), to prove gates.
  package var slowdowns: [Slowdown] = []
  /// Kernel × flavour pairs with extra work in their timed region (`--inject-work`), to prove gates.
  package var injections: [WorkInjection] = []
  /// `run --measure`: time (the default) or instructions (valgrind counts the
  /// timed region of one-thread release cells).
  package var measure: Measure = .time
  /// Parent only: when set, workers run under this valgrind and count instead of timing.
  package var valgrind: String?
  /// `run --cache-sim`: counted workers also simulate the caches (`--cache-sim=yes`), for estimated cycles.
  package var cacheSimulation: Bool?
  /// When set, only these cells of the kernels × flavours × threads product
  /// (what `benchmark gate` needs); nil measures the whole product.
  package var onlyCells: [CellID]?
  /// `run --save-baseline FILE`: also write the results as JSON there, for `gate --baseline`.
  package var saveBaseline: String?

  package init() {}

  /// The size each selected kernel runs at (`size` resolved against `kernels`).
  package func sizes() throws -> [String: Int] {
    try sizedKernels().sizes
  }

  /// The selected kernels, each at its size (`size` resolved against
  /// `kernels`), in the plan's order; a one-line usage error for a size that
  /// is not one, or that a kernel does not take.
  package func sizedKernels() throws -> [SizedKernel] {
    let request = size
    if let stray = request.perKernel.keys.sorted().first(where: { !kernels.contains($0) }) {
      throw UsageError(
        "--size \(stray)=\(request.perKernel[stray]!): \(stray) is not measured (kernels: \(kernels.joined(separator: ", "))); add it to --kernels or leave it out of --size")
    }
    var sized: [SizedKernel] = []
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
      sized.append(SizedKernel(kernel, size: size))
    }
    return sized
  }

  /// The selected kernels, looked up in the catalogue. The command line checked
  /// their names; a plan made in code (a gate's, a test's) reaches here unchecked.
  package func selectedKernels() throws -> [any Kernel] {
    try kernels.map { try requireKernel($0, in: catalogue) }
  }

  /// What a worker of `build` is sent: the plan's kernels at their sizes
  /// (`sizedKernels()`, resolved once by the parent), the flavours that build
  /// measures and everything else it needs to measure them; none of the run's
  /// output, baseline or Python rungs. The orchestrator adds what only it
  /// knows (the cells to measure or leave out, the limits budget, the progress context).
  package func measureRequest(for build: Build, kernels: [SizedKernel]) -> MeasureRequest {
    MeasureRequest(
      kernels: kernels, flavours: flavours(in: build), builds: builds, threads: threads,
      minTimeMilliseconds: minTimeMilliseconds, samples: samples, backend: backend, gil: gil,
      timeLimitSeconds: timeLimitSeconds, slowdowns: slowdowns, injections: injections, only: onlyCells)
  }
}

/// What `--size` asks for: one size for every kernel not named (a preset or
/// a number), and sizes for named kernels: `quick`, `4000`,
/// `mandelbrot=4000,sieve=100000000`, `full,sieve=1000`.
package struct SizeRequest: Equatable, Sendable, CustomStringConvertible {
  /// The size of every kernel not in `perKernel`: a preset name or a number.
  package var forAll = "quick"
  /// Kernel name → a preset name or a number.
  package var perKernel: [String: String] = [:]

  /// `quick` for every kernel: the default.
  package init() {}

  /// `tiny` for every kernel.
  package static let tiny = SizeRequest(forAll: "tiny")

  private init(forAll: String) { self.forAll = forAll }

  /// Parses `text`; throws a one-line `UsageError` for anything that is not sizes.
  package init(_ text: String) throws {
    var forAllGiven = false
    for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
      if let equals = item.firstIndex(of: "=") {
        let name = String(item[..<equals])
        try requireKernel(name, in: catalogue, context: "--size: ")
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
