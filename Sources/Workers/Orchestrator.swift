// `benchmark run`: build what is needed, run one worker process per build,
// merge their cells, and check every answer against every other.

import Foundation
import Interpreters
import KernelKit
import Kernels
import MeasurementKit

/// One line a worker writes to standard output (JSON Lines).
package enum WorkerEvent: Codable {
  /// The worker's build, first.
  case build(BuildInfo)
  /// Before each run of a cell's kernel: if the worker dies, this cell is the culprit.
  case running(CellID)
  /// A finished cell.
  case cell(CellResult)
}

/// Runs the measurement for `options` and returns the merged results.
package struct Orchestrator {
  let options: RunPlan
  let progress: ProgressLine
  /// Attempts after crashes before the rest of a build is given up.
  let maxRestarts = 8

  package init(options: RunPlan, progress: ProgressLine) {
    self.options = options
    self.progress = progress
  }

  package func run() throws -> RunResults {
    var binaries: [Build: URL] = [:]
    return try run(binaries: &binaries)
  }

  /// Runs the measurement, reusing the binaries in `binaries` and adding those
  /// it builds, so that a caller measuring again (`benchmark gate` re-measuring
  /// a straddling gate) does not pay for `swift build` twice.
  package func run(binaries: inout [Build: URL]) throws -> RunResults {
    let sizes = try options.sizes()
    let location = PackageLocation.find()
    var cells: [CellResult] = []
    var builds: [BuildInfo] = []
    for name in options.kernels {
      if let why = kernel(named: name).flatMap(options.backend.unsupported) {
        progress.phase("\(name): multi-thread cells \(why) (--backend \(options.backend.rawValue))")
      }
    }
    if options.builds.contains(.debug), options.flavours(in: .debug) != options.flavours {
      progress.phase(
        "debug: the Swift vector flavour is left out (unspecialised SIMD operators at -Onone); --flavours measures it")
    }
    for build in options.builds {
      let planned = plannedCells(build: build, sizes: sizes)
      if planned.isEmpty { continue }
      let binary: URL
      do {
        binary = try binaries[build] ?? self.binary(for: build, location: location)
        binaries[build] = binary
      } catch let error as BuildError {
        progress.phase("error: \(error.message)")
        cells += planned.map { crashedCell($0, size: sizes[$0.kernel]!, error.message) }
        continue
      }
      let (info, measured) = measure(build: build, binary: binary, planned: planned, sizes: sizes)
      if let info { builds.append(info) }
      cells += measured
    }
    crossVerify(&cells)
    var provenance = Provenance.here(packageRoot: location.root)
    provenance.builds = builds
    let settings = RunSettings(
      size: options.size, minTimeMilliseconds: options.minTimeMilliseconds,
      samples: options.samples, threads: options.threads,
      backend: options.backend == .threads ? nil : options.backend, gil: options.gil ? true : nil)
    var results = RunResults(settings: settings, provenance: provenance, cells: cells.sorted { $0.id < $1.id })
    if options.interpreters {
      let toolchain = PythonToolchain.find(packageRoot: location.root, environment: ProcessInfo.processInfo.environment)
      results.interpreted = InterpretedRungs(
        kernels: options.kernels, sizes: sizes, samples: options.samples,
        minTimeMilliseconds: options.minTimeMilliseconds, toolchain: toolchain, packageRoot: location.root,
        progress: progress
      ).run(verifyingAgainst: results.cells)
    }
    return results
  }

  private func plannedCells(build: Build, sizes: [String: Int]) -> [CellID] {
    options.kernels.flatMap { name in
      let kernel = Kernels.kernel(named: name)!
      return options.flavours(in: build).filter { kernel.notApplicable($0) == nil }.flatMap { flavour in
        options.threads.map { CellID(kernel: name, flavour: flavour, build: build, threads: $0) }
      }
    }.filter { $0.threads == 1 || Kernels.kernel(named: $0.kernel).flatMap(options.backend.unsupported) == nil }
      .filter { options.onlyCells?.contains($0) != false }
  }

  // MARK: - Builds

  package struct BuildError: Error { package var message: String }

  /// This binary for its own build; for the other, `swift build -c …` first.
  package func binary(for build: Build, location: PackageLocation) throws -> URL {
    if build == .current { return location.executable }
    guard let root = location.root else {
      throw BuildError(
        message: "cannot build \(build.rawValue): no SpeedLadder package found around \(location.executable.path); run from a clone, or pass --builds \(Build.current.rawValue)")
    }
    var arguments = ["build", "-c", build.rawValue, "--product", "benchmark", "--package-path", root.path]
    if let scratch = location.scratch { arguments += ["--scratch-path", scratch.path] }
    progress.phase("building \(build.rawValue)… (swift \(arguments.prefix(5).joined(separator: " ")))")
    let started = monotonicSeconds()
    let output: ProcessOutput
    do {
      output = try runProcess("swift", arguments)
    } catch {
      throw BuildError(message: "cannot run 'swift build' for \(build.rawValue): \(error)")
    }
    guard output.succeeded else {
      let firstError =
        (output.text + "\n" + output.standardError).split(separator: "\n")
        .first { $0.contains("error:") }.map(String.init) ?? "exit status \(output.status)"
      throw BuildError(message: "swift build -c \(build.rawValue) failed: \(firstError)")
    }
    progress.phase("built \(build.rawValue) in \(formatSeconds(monotonicSeconds() - started))")
    guard let binPath = commandOutput("swift", arguments + ["--show-bin-path"]) else {
      throw BuildError(message: "swift build -c \(build.rawValue) --show-bin-path failed")
    }
    return URL(fileURLWithPath: binPath).appendingPathComponent("benchmark")
  }

  // MARK: - Workers

  /// Runs a worker for `build`; when it dies in a cell, marks that cell
  /// crashed and runs the remaining cells in a new worker.
  private func measure(
    build: Build, binary: URL, planned: [CellID], sizes: [String: Int]
  ) -> (BuildInfo?, [CellResult]) {
    var excluded: [CellID] = []
    var crashed: [CellResult] = []
    var info: BuildInfo?
    while true {
      var workerOptions = options
      workerOptions.excluded = excluded
      workerOptions.flavours = options.flavours(in: build)
      workerOptions.onlyCells = options.onlyCells?.filter { $0.build == build }
      let output: ProcessOutput
      do {
        output = try runProcess(
          binary.path, ["worker", try workerOptions.workerPlan()], passStandardError: true,
          environment: workerEnvironment)
      } catch {
        let why = "cannot start the \(build.rawValue) worker \(binary.path): \(error)"
        return (info, crashed + remaining(planned, excluded).map { crashedCell($0, size: sizes[$0.kernel]!, why) })
      }
      var lastRunning: CellID?
      var finished: [CellResult] = []
      let decoder = JSONDecoder()
      for line in output.standardOutput.split(separator: UInt8(ascii: "\n")) {
        switch try? decoder.decode(WorkerEvent.self, from: Data(line)) {
        case .build(let reported)?: info = reported
        case .running(let id)?: lastRunning = id
        case .cell(let cell)?: finished.append(cell)
        case nil: continue
        }
      }
      if output.succeeded { return (info, crashed + finished) }

      let how = output.signalled ? "signal \(output.status)" : "exit status \(output.status)"
      guard let culprit = lastRunning, !excluded.contains(culprit), excluded.count < maxRestarts else {
        let why = "the \(build.rawValue) worker died (\(how)) outside any cell"
        return (info, crashed + remaining(planned, excluded).map { crashedCell($0, size: sizes[$0.kernel]!, why) })
      }
      progress.phase("\(culprit) crashed (\(how)); measuring the other \(build.rawValue) cells again")
      crashed.append(crashedCell(culprit, size: sizes[culprit.kernel]!, "crashed (\(how))"))
      excluded.append(culprit)
    }
  }

  /// Swift's crash backtracer runs as a child of the crashing worker and
  /// inherits its standard output; where it hangs (seen under the thread
  /// sanitizer) the pipe never closes. Workers run without it unless the user
  /// asked for it by setting SWIFT_BACKTRACE.
  private var workerEnvironment: [String: String] {
    ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil ? ["SWIFT_BACKTRACE": "enable=no"] : [:]
  }

  private func remaining(_ planned: [CellID], _ excluded: [CellID]) -> [CellID] {
    planned.filter { !excluded.contains($0) }
  }

  private func crashedCell(_ id: CellID, size: Int, _ why: String) -> CellResult {
    CellResult(
      id: id, size: size, runsPerSample: 0, samples: [], cpuSamples: [], statistics: nil,
      setupSeconds: 0, result: nil, verification: CellVerification(.crashed, why), notes: [])
  }
}

// MARK: - Verification across cells


// MARK: - Finding the package

/// Where this binary and its package are.
package struct PackageLocation {
  var executable: URL
  /// The SpeedLadder package root, when this binary was built from one.
  package var root: URL?
  /// The build folder this binary lives in (`.build`), so the other build shares it.
  var scratch: URL?

  package static func find() -> PackageLocation {
    let executable = currentExecutable()
    // A SwiftPM product lives at <scratch>/<triple>/<configuration>/benchmark.
    let scratch = executable.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var candidates = [scratch.deletingLastPathComponent()]
    var folder = executable.deletingLastPathComponent()
    while folder.path != "/" {
      candidates.append(folder)
      folder = folder.deletingLastPathComponent()
    }
    let root = candidates.first(where: isSpeedLadderPackage)
    let usesScratch = root != nil && scratch.lastPathComponent.hasPrefix(".build")
    return PackageLocation(executable: executable, root: root, scratch: usesScratch ? scratch : nil)
  }

  private static func isSpeedLadderPackage(_ folder: URL) -> Bool {
    let manifest = folder.appendingPathComponent("Package.swift")
    guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return false }
    return text.contains("name: \"SpeedLadder\"")
  }

  package static func currentExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
  }
}
