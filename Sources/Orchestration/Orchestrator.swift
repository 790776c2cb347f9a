// `benchmark run`: build what is needed, run one worker process per build,
// merge their cells, and check every answer against every other.

import Foundation
import Interpreters
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import WorkerProtocol
import Workers

/// Runs the measurement for `options` and returns the merged results.
package struct Orchestrator {
  let options: RunPlan
  let progress: ProgressLine
  /// Called with the results so far when a kernel's cells are all measured
  /// and cross-checked (`run` prints that kernel's ladder at once).
  package var kernelFinished: ((RunResults, String) -> Void)?
  /// Attempts after crashes before the rest of a build is given up.
  let maxRestarts = 8
  /// Seconds each optimised build spends measuring the machine's limits:
  /// enough for stable figures, less at tiny size where only behaviour matters.
  var limitsBudget: Double { options.size == .tiny ? 0.25 : 1.0 }

  package init(options: RunPlan, progress: ProgressLine) {
    self.options = options
    self.progress = progress
  }

  /// An orchestrator whose builds come from `builder` (tests: a build that fails).
  init(options: RunPlan, progress: ProgressLine, builder: @escaping (Build, PackageLocation) throws -> URL) {
    self.options = options
    self.progress = progress
    self.builder = builder
  }

  package func run() throws -> RunResults {
    var binaries: [Build: URL] = [:]
    return try run(binaries: &binaries)
  }

  /// Runs the measurement, reusing the binaries in `binaries` and adding those
  /// it builds, so that a caller measuring again (`benchmark gate` re-measuring
  /// a straddling gate) does not pay for `swift build` twice.
  ///
  /// Kernel by kernel: each kernel's cells in every build (one worker per
  /// build, its cells interleaved), then their cross-check, then
  /// `kernelFinished` with the results so far. An interrupt (Ctrl-C, SIGTERM)
  /// ends the run after the kernels already finished: the results are then
  /// marked `incomplete`.
  package func run(binaries: inout [Build: URL]) throws -> RunResults {
    let sized = try options.sizedKernels()
    let (sizes, selected) = (sized.sizes, sized.map(\.kernel))
    Interruption.keepGoing()
    try DescriptorLimit.ensure()  // before the first child: one line naming the cause, not a failure per cell
    MeasuringSession.shared.begin(progress: progress)  // the lock, and whether the machine is busy
    let location = PackageLocation.find()
    for kernel in selected {
      if let why = options.backend.unsupported(kernel) {
        progress.phase("\(kernel.name): multi-thread cells \(why) (--backend \(options.backend.rawValue))")
      }
    }
    if options.builds.contains(.debug), options.flavours(in: .debug) != options.flavours {
      progress.phase(
        "debug: the Swift vector flavour is left out (unspecialised SIMD operators at -Onone); --flavours measures it")
    }
    let settings = RunSettings(
      size: options.size.description, minTimeMilliseconds: options.minTimeMilliseconds,
      samples: options.samples, threads: options.threads,
      backend: options.backend == .threads ? nil : options.backend, gil: options.gil ? true : nil)
    var results = RunResults(settings: settings, provenance: Provenance.here(packageRoot: location.root), cells: [])

    // Every build the run needs is compiled before anything is measured, so
    // that no build runs between (or during) measurements.
    var unbuilt: [Build: BuildError] = [:]
    var buildSeconds: [Build: Double] = [:]
    for build in options.builds where binaries[build] == nil && !plannedCells(build: build, kernels: selected).isEmpty {
      do {
        let started = monotonicSeconds()
        binaries[build] = try builder?(build, location) ?? binary(for: build, location: location)
        if build != .current { buildSeconds[build] = monotonicSeconds() - started }
      } catch let error as BuildError {
        // A build stopped by Ctrl-C is said below, as an interrupt, not as a build error.
        if !Interruption.requested {
          progress.phase("error: \(error.message)")
          unbuilt[build] = error
        }
      }
      if Interruption.requested {
        return interrupted(results, during: build == .current ? "before measuring" : "building \(build.rawValue)")
      }
    }

    var infos: [Build: BuildInfo] = [:]
    let kernels = options.kernels.sorted { catalogue.rank(of: $0) < catalogue.rank(of: $1) }
    let measuring = monotonicSeconds()
    var done = 0
    var interpreted: InterpretedRungs?
    let total = kernels.reduce(0) { total, name in
      total + options.builds.reduce(0) { $0 + plannedCells(build: $1, kernels: selected, kernel: name).count }
    }
    for (index, name) in kernels.enumerated() {
      var cells: [CellResult] = []
      for build in options.builds {
        let planned = plannedCells(build: build, kernels: selected, kernel: name)
        if planned.isEmpty { continue }
        guard let binary = binaries[build] else {
          let error = unbuilt[build] ?? BuildError(message: "no binary for the \(build.rawValue) build")
          // The native build depends on the compiler knowing this CPU: when it
          // cannot build, its cells are skipped, not failed.
          let status: CellVerification.Status = build == .native ? .skipped : .crashed
          cells += planned.map { crashedCell($0, size: sizes[$0.kernel]!, error.message, status: status) }
          continue
        }
        // The time left, from the measuring so far: cells of all kernels are
        // not alike, so this is a rough guide that improves as the run goes.
        let elapsed = monotonicSeconds() - measuring
        let context = ProgressContext(
          kernels: "kernel \(index + 1) of \(kernels.count)",
          secondsLeft: done > 0 ? elapsed / Double(done) * Double(total - done) : nil)
        let measured: (BuildInfo?, [CellResult])
        do {
          measured = try measure(
            build: build, binary: binary, planned: planned, kernels: sized, limits: infos[build] == nil,
            context: context)
        } catch {
          return interrupted(results, during: name)
        }
        if var info = measured.0, infos[build] == nil {
          info.buildSeconds = buildSeconds[build]
          infos[build] = info
        }
        cells += measured.1
        done += planned.count
      }
      crossVerify(&cells, catalogue: catalogue)
      results.cells = (results.cells + cells).sorted { catalogue.lists($0.id, before: $1.id) }
      results.provenance.builds = options.builds.compactMap { infos[$0] }
      results.attachRates(catalogue: catalogue)
      if options.interpreters {
        // Found, and Cython's modules built, once: before the first kernel's rungs.
        if interpreted == nil {
          let toolchain = PythonToolchain.find(packageRoot: location.root, environment: ProcessInfo.processInfo.environment)
          interpreted = InterpretedRungs(
            kernels: kernels, sizes: sizes, samples: options.samples ?? 5,
            minTimeMilliseconds: options.minTimeMilliseconds, toolchain: toolchain, packageRoot: location.root,
            progress: progress
          ).prepared()
        }
        let python = interpreted!.only(name).run(verifyingAgainst: results.cells)
        if Interruption.requested { return interrupted(results, during: name) }
        results.interpreted = (results.interpreted ?? []) + python
      }
      // A plan of named cells (a gate's) measures those cells only: the
      // tuned library is no cell of any gate, and a re-measuring round would
      // time it again.
      if name == BLASRung.kernel, options.onlyCells == nil, let size = sizes[name],
        let binary = binaries[.native] ?? binaries[.release] ?? binaries.values.first
      {
        // The tuned library, beside the ladder: in its own worker process.
        progress.update("\(name): the tuned library (BLAS)…")
        let top = Ladder.topThreads(measured: results.settings.threads, cores: results.provenance.cores)
        let rung = BLASRung(
          request: options.blas, size: size, binary: binary, threads: top > 1 ? [1, top] : [1],
          samples: options.samples ?? 5, minTimeMilliseconds: options.minTimeMilliseconds)
        let blas = rung.run(verifyingAgainst: results.cells)
        for cell in blas where cell.skipped || cell.failed {
          progress.phase("\(cell.id.rung): \(cell.failed ? "FAIL: " : "")\(cell.verification.detail)")
        }
        results.interpreted = (results.interpreted ?? []) + blas
      }
      kernelFinished?(results, name)
    }
    return results
  }

  /// The results of the kernels finished before an interrupt, marked incomplete.
  private func interrupted(_ results: RunResults, during what: String) -> RunResults {
    progress.phase("interrupted (\(what)); \(counted(results.kernels.count, "kernel")) finished before it are kept")
    var results = results
    results.incomplete = true
    return results
  }

  /// The cells of `kernels` (the plan's, resolved) that `build` measures, or those of one kernel.
  private func plannedCells(build: Build, kernels: [any Kernel], kernel name: String? = nil) -> [CellID] {
    kernels.filter { name == nil || $0.name == name }.flatMap { kernel in
      let unsupported = options.backend.unsupported(kernel) != nil
      return options.flavours(in: build).filter { kernel.notApplicable($0) == nil }.flatMap { flavour in
        options.threads.filter { $0 == 1 || !unsupported }.map {
          CellID(kernel: kernel.name, flavour: flavour, build: build, threads: $0)
        }
      }
    }.filter { options.onlyCells?.contains($0) != false }
  }

  // MARK: - Builds

  package struct BuildError: Error { package var message: String }

  /// Produces a build's binary in place of `binary(for:location:)` (tests: a build that fails).
  private var builder: ((Build, PackageLocation) throws -> URL)?

  /// This binary for its own build; for another, `swift build --product
  /// product` first, showing its progress and how long it took. A worker needs
  /// only `benchmark-worker` (the kernels and the measuring, without the
  /// command line, reports, gates and Python rungs): half the compile of
  /// `benchmark` in an optimised build.
  package func binary(for build: Build, product: String = "benchmark-worker", location: PackageLocation) throws
    -> URL
  {
    if build == .current { return location.executable }
    guard let root = location.root else {
      throw BuildError(
        message: "cannot build \(build.rawValue): no SpeedLadder package found around \(location.executable.path); run from a clone, or pass --builds \(Build.current.rawValue)")
    }
    var arguments = ["build"] + build.buildArguments + ["--product", product, "--package-path", root.path]
    if let scratch = location.scratchPath(for: build) { arguments += ["--scratch-path", scratch.path] }
    let command = "swift " + arguments.prefix(while: { $0 != "--package-path" }).joined(separator: " ")
    progress.phase("building \(build.rawValue)… (\(command))")
    let started = monotonicSeconds()
    let output: ProcessOutput
    do {
      var compiled: Set<String> = []
      output = try runProcess("swift", arguments) { line in
        guard let step = BuildStep(line) else { return }
        progress.update("building \(build.rawValue) \(step.line)")
        // Off a terminal, a line per target (not per file) keeps a CI log short.
        if !progress.showsStatusLine, let target = step.target, compiled.insert(target).inserted {
          progress.phase("  \(build.rawValue): compiling \(target)")
        }
      }
    } catch {
      throw BuildError(message: "cannot run 'swift build' for \(build.rawValue): \(error)")
    }
    guard output.succeeded else {
      throw BuildError(
        message: "\(command) failed: \(firstError(in: output.text) ?? "exit status \(output.status)")")
    }
    progress.phase("built \(build.rawValue) in \(formatSeconds(monotonicSeconds() - started))")
    guard let binPath = commandOutput("swift", arguments + ["--show-bin-path"]) else {
      throw BuildError(message: "\(command) --show-bin-path failed")
    }
    return URL(fileURLWithPath: binPath).appendingPathComponent(product)
  }

  // MARK: - Workers

  /// Runs a worker for `build`; when it dies in a cell, marks that cell
  /// crashed and runs the remaining cells in a new worker.
  private func measure(
    build: Build, binary: URL, planned: [CellID], kernels: [SizedKernel], limits: Bool, context: ProgressContext
  ) throws(Interrupted) -> (BuildInfo?, [CellResult]) {
    let sizes = kernels.sizes
    var excluded: [CellID] = []
    var crashed: [CellResult] = []
    var info: BuildInfo?
    while true {
      var request = options.measureRequest(for: build, kernels: kernels)
      request.excluded = excluded
      // Limits are measured once per build, by its first worker, before any cell.
      request.limitsBudgetSeconds =
        limits && excluded.isEmpty && options.measuresLimits && options.valgrind == nil ? limitsBudget : nil
      request.only = planned
      request.progressContext = context
      // A counted worker runs under callgrind (MeasurementKit/Counting.swift),
      // its dumps in a folder of its own, removed when it is done.
      var command = (binary.path, ["worker"])
      var countFolder: URL?
      if let valgrind = options.valgrind {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speedladder-count-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        countFolder = folder
        let prefix = folder.appendingPathComponent("callgrind.out").path
        request.countFile = prefix
        let countable = Valgrind.countableCopy(of: binary.path, in: folder.path)
        command = (
          valgrind,
          Valgrind.arguments(outputPrefix: prefix, cacheSimulation: options.cacheSimulation == true) + [countable, "worker"]
        )
      }
      defer { if let countFolder { try? FileManager.default.removeItem(at: countFolder) } }
      let output: ProcessOutput
      do {
        output = try runProcess(
          command.0, command.1, input: try WorkerRequest.measure(request).line(), passStandardError: true,
          environment: workerEnvironment)
      } catch {
        if Interruption.requested { throw Interrupted() }
        let why = "cannot start the \(build.rawValue) worker \(binary.path): \(describeStartFailure(error))"
        return (info, crashed + remaining(planned, excluded).map { crashedCell($0, size: sizes[$0.kernel]!, why) })
      }
      var lastRunning: CellID?
      var finished: [CellResult] = []
      let decoder = JSONDecoder()
      for line in output.standardOutput.split(separator: UInt8(ascii: "\n")) {
        switch try? decoder.decode(WorkerEvent.self, from: Data(line)) {
        case .build(var reported)?:
          reported.limits = reported.limits ?? info?.limits
          info = reported
        case .running(let id)?: lastRunning = id
        case .cell(let cell)?: finished.append(cell)
        case nil: continue
        }
      }
      if Interruption.requested { throw Interrupted() }
      if output.succeeded { return (info, crashed + finished) }

      var how = output.signalled ? "signal \(output.status)" : "exit status \(output.status)"
      // valgrind's own complaint (an instruction it cannot decode, a binary it
      // refuses) says more than the status: the counted cell fails with it.
      if options.valgrind != nil, let line = Valgrind.firstErrorLine(output.standardError) {
        how += ", valgrind: \(line)"
      }
      guard let culprit = lastRunning, !excluded.contains(culprit), excluded.count < maxRestarts else {
        let said = Self.lastWords(output.standardError).map { ": \($0)" } ?? ""
        let why = "the \(build.rawValue) worker died (\(how)) outside any cell\(said)"
        return (info, crashed + remaining(planned, excluded).map { crashedCell($0, size: sizes[$0.kernel]!, why) })
      }
      progress.phase("\(culprit) crashed (\(how)); measuring the other \(build.rawValue) cells again")
      crashed.append(crashedCell(culprit, size: sizes[culprit.kernel]!, "crashed (\(how))"))
      excluded.append(culprit)
    }
  }

  /// What a worker that died said last on standard error: its last line
  /// that reports an error (Swift's "Fatal error: …", an allocation that
  /// failed), else its last line; nil when it said nothing.
  static func lastWords(_ text: String) -> String? {
    // A status line rewritten on a terminal: `\r`, then ESC [K, then the line.
    let lines = text.replacingOccurrences(of: "\u{1B}[K", with: "").split(whereSeparator: { $0 == "\n" || $0 == "\r" })
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let line = lines.last { $0.localizedCaseInsensitiveContains("error") } ?? lines.last
    return line.map { $0.count > 300 ? String($0.prefix(300)) + "…" : $0 }
  }

  /// Swift's crash backtracer runs as a child of the crashing worker and
  /// inherits its standard output; where it hangs (seen under the thread
  /// sanitizer) the pipe never closes. Workers run without it unless the user
  /// asked for it by setting SWIFT_BACKTRACE.
  private var workerEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil ? ["SWIFT_BACKTRACE": "enable=no"] : [:]
    // Counted workers hash deterministically: a per-process hash seed would
    // change a hashing kernel's instruction count from one run to the next.
    if options.valgrind != nil { environment["SWIFT_DETERMINISTIC_HASHING"] = "1" }
    return environment
  }

  private func remaining(_ planned: [CellID], _ excluded: [CellID]) -> [CellID] {
    planned.filter { !excluded.contains($0) }
  }

  private func crashedCell(
    _ id: CellID, size: Int, _ why: String, status: CellVerification.Status = .crashed
  ) -> CellResult {
    CellResult(
      id: id, size: size, runsPerSample: 0, samples: [], cpuSamples: [], statistics: nil,
      setupSeconds: 0, result: nil, verification: CellVerification(status, why), notes: [])
  }
}

/// Why a child could not be started, in words: Foundation's NSError for a
/// POSIX failure ("Error Domain=NSPOSIXErrorDomain Code=12 …") becomes the
/// system's own text ("Cannot allocate memory"), and a usage error (too few
/// descriptors) its one line.
func describeStartFailure(_ error: any Error) -> String {
  if let usage = error as? UsageError { return usage.message }
  let ns = error as NSError
  if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) + " (errno \(ns.code))" }
  return "\(error)"
}

// MARK: - Build output

/// One progress line of `swift build`: `[12/180] Compiling Kernels Mandelbrot.swift`.
struct BuildStep: Equatable {
  /// The line as SwiftPM wrote it.
  var line: String
  /// The target a `Compiling` step works on (`Kernels`); nil for other steps
  /// (`Write sources`, `Linking benchmark`).
  var target: String?

  init?(_ line: String) {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]"),
      trimmed[trimmed.index(after: trimmed.startIndex)..<close].contains("/")
    else { return nil }
    self.line = trimmed
    let words = trimmed[trimmed.index(after: close)...].split(separator: " ").map(String.init)
    target = words.count >= 2 && words[0] == "Compiling" ? words[1] : nil
  }
}

/// The first line of a compiler's output that reports an error, without its
/// `file:line:column:` prefix when it has one.
func firstError(in output: String) -> String? {
  guard let line = output.split(separator: "\n").first(where: { $0.contains("error:") }) else { return nil }
  return line.range(of: "error:").map { "error:" + line[$0.upperBound...] } ?? String(line)
}
