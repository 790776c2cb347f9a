// What a run measured: the model behind every output format and the worker protocol.

import Foundation
import KernelKit
import ProcessKit

// MARK: - Cells

/// A build configuration of the package: the one list every build name,
/// order and flag set derives from.
package enum Build: String, CaseIterable, Codable, Sendable, Comparable {
  /// `swift build`: Swift at -Onone, C at -O0.
  case debug
  /// `swift build -c release`: Swift -O with whole-module optimisation, C -O2,
  /// both for baseline x86-64 (SSE2) or arm64.
  case release
  /// The release configuration compiled for this machine's CPU (`-target-cpu
  /// native`, `-march=native`), in its own scratch folder so that it never
  /// invalidates the release build.
  case native

  package static func < (a: Build, b: Build) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// The configuration this binary was compiled in. The native build defines
  /// `SPEEDLADDER_NATIVE` (see `buildArguments`).
  package static var current: Build {
    #if DEBUG
      .debug
    #elseif SPEEDLADDER_NATIVE
      .native
    #else
      .release
    #endif
  }

  /// Whether the compiler optimised this build (release and native).
  package var isOptimised: Bool { self != .debug }

  /// `swift build` arguments beyond the package and scratch paths.
  package var buildArguments: [String] {
    switch self {
    case .debug: ["-c", "debug"]
    case .release: ["-c", "release"]
    case .native:
      [
        "-c", "release", "-Xswiftc", "-target-cpu", "-Xswiftc", "native", "-Xcc", "-march=native",
        "-Xswiftc", "-DSPEEDLADDER_NATIVE",
      ] + Self.fullWidthCFlags.flatMap { ["-Xcc", $0] }
    }
  }

  /// What the native build adds so that C uses the CPU's full vector width:
  /// `-mprefer-vector-width=512` where the CPU has AVX-512F. Clang tunes
  /// `-march=native` on several AVX-512 cores (Skylake-X, Ice Lake, Sapphire
  /// Rapids) to prefer 256-bit vectors, and then splits even the C flavours'
  /// explicit 64-byte vector types into two 32-byte halves, while swiftc (which
  /// marks no minimum legal width on its functions) uses the 512-bit registers:
  /// without this flag the two languages would run at different widths. On a
  /// core already tuned for 512 bits (AMD Zen 4) it changes nothing. Which width
  /// each language's code really runs at is read back from the compiled probes
  /// (`MachineLimits.cRegisterBits`, `swiftRegisterBits`).
  package static var fullWidthCFlags: [String] {
    cpuHasFeature("avx512f") ? ["-mprefer-vector-width=512"] : []
  }

  /// The flags the compilers see for this build, as provenance records them.
  package var swiftFlags: String {
    switch self {
    case .debug: "-Onone (SwiftPM debug)"
    case .release: "-O -whole-module-optimization"
    case .native: "-O -whole-module-optimization -target-cpu native"
    }
  }

  package var cFlags: String {
    switch self {
    case .debug: "-O0 -DDEBUG=1"
    case .release: "-O2"
    case .native: (["-O2", "-march=native"] + Self.fullWidthCFlags).joined(separator: " ")
    }
  }

  /// The scratch folder's name suffix: the native build lives beside `.build`
  /// in `.build-native`, so switching between it and release rebuilds nothing.
  package var scratchSuffix: String { self == .native ? "-native" : "" }
}

/// Which cell: kernel × flavour × build × threads.
package struct CellID: Hashable, Codable, Sendable, CustomStringConvertible {
  package var kernel: String
  package var flavour: Flavour
  package var build: Build
  package var threads: Int

  package init(kernel: String, flavour: Flavour, build: Build, threads: Int) {
    self.kernel = kernel
    self.flavour = flavour
    self.build = build
    self.threads = threads
  }

  /// `release·c·2`, the notation of the ladder (the kernel is said elsewhere).
  package var rung: String { "\(build.rawValue)·\(flavour.rawValue)·\(threads)" }

  /// `mandelbrot/release/c/2`: stable, for file formats and command lines.
  package var description: String { "\(kernel)/\(build.rawValue)/\(flavour.rawValue)/\(threads)" }

  package init?(_ text: String) {
    let parts = text.split(separator: "/").map(String.init)
    guard parts.count == 4, let build = Build(rawValue: parts[1]),
      let flavour = Flavour(rawValue: parts[2]), let threads = Int(parts[3])
    else { return nil }
    self.init(kernel: parts[0], flavour: flavour, build: build, threads: threads)
  }
}

extension KernelCatalogue {
  /// Whether cell `a` is listed before cell `b`, the order of every output:
  /// kernels in this catalogue's (`benchmark list`'s) order, then build,
  /// flavour, threads. `cells.sorted { catalogue.lists($0.id, before: $1.id) }`.
  package func lists(_ a: CellID, before b: CellID) -> Bool {
    (rank(of: a.kernel), a.kernel, a.build, a.flavour, a.threads)
      < (rank(of: b.kernel), b.kernel, b.build, b.flavour, b.threads)
  }
}

/// How a cell's answer was checked.
package struct CellVerification: Codable, Equatable, Sendable {
  package enum Status: String, Codable, Sendable {
    /// Equal to a known reference for this size (and to the other cells).
    case reference
    /// No reference at this size; equal to every other cell of the kernel.
    case agreement
    /// Wrong: differs from the reference or from the other cells.
    case mismatch
    /// The cell crashed or could not run.
    case crashed
    /// Not measured, and not a failure: an interpreted rung whose interpreter,
    /// Cython module or Python port of the kernel is missing (the detail says which).
    case skipped
  }

  package var status: Status
  package var detail: String

  package init(_ status: Status, _ detail: String) {
    self.status = status
    self.detail = detail
  }

  package var passed: Bool { status == .reference || status == .agreement }
}

/// Everything measured about one cell.
package struct CellResult: Codable, Equatable, Sendable {
  package var id: CellID
  /// The kernel's size parameter.
  package var size: Int
  /// Kernel runs per timed sample (calibrated so that a sample lasts the minimum time).
  package var runsPerSample: Int
  /// Seconds per run, one entry per sample.
  package var samples: [Double]
  /// Process CPU seconds per run, one entry per sample (all threads).
  package var cpuSamples: [Double]
  /// `nil` when the cell failed before it was timed.
  package var statistics: SampleStatistics?
  /// Seconds spent generating input and allocating, outside the timed region.
  package var setupSeconds: Double
  package var result: KernelResult?
  package var verification: CellVerification
  /// Remarks a reader should see (fewer samples, noisy, …).
  package var notes: [String]
  /// Set only when `--inject-slowdown` made this cell do this many times its
  /// real work (to prove a gate); absent in honest runs.
  package var slowdown: Double? = nil
  /// How often the scheduler took a core from this process's threads to run
  /// something else while the samples ran (involuntary context switches per
  /// second of sampling). Near 0 on a quiet machine.
  package var preemptionsPerSecond: Double? = nil
  /// What one run of the kernel does at this size (the kernel's declaration).
  package var work: Work? = nil
  /// `work` over the median time, and its share of the machine's limit
  /// (`RunResults.attachRates`); absent for failed cells and older files.
  package var rate: CellRate? = nil
  /// How its samples were chosen and what precision they reached (Sampling.swift);
  /// absent for cells never timed and in older files.
  package var sampling: SamplingRecord? = nil
  /// Instructions per run of the timed region, one entry per counted sample
  /// (valgrind's callgrind, `--measure instructions`); absent for timed cells.
  package var instructions: [Double]? = nil
  /// Set only when `--inject-work` added work to this cell's timed region
  /// (`mandelbrot/unsafe=+2%`), to prove a gate; absent in honest runs.
  package var injection: String? = nil
  /// ONLY with `--cache-sim`: cycles per run ESTIMATED from callgrind's cache
  /// simulation (L1 hit 1, last-level hit 5, memory 35, as Iai and CodSpeed
  /// estimate), one entry per counted sample. A model, not a measurement.
  package var estimatedCycles: [Double]? = nil

  package init(
    id: CellID, size: Int, runsPerSample: Int, samples: [Double], cpuSamples: [Double],
    statistics: SampleStatistics?, setupSeconds: Double, result: KernelResult?, verification: CellVerification,
    notes: [String], slowdown: Double? = nil, preemptionsPerSecond: Double? = nil, sampling: SamplingRecord? = nil,
    instructions: [Double]? = nil, injection: String? = nil, estimatedCycles: [Double]? = nil
  ) {
    self.id = id
    self.size = size
    self.runsPerSample = runsPerSample
    self.samples = samples
    self.cpuSamples = cpuSamples
    self.statistics = statistics
    self.setupSeconds = setupSeconds
    self.result = result
    self.verification = verification
    self.notes = notes
    self.slowdown = slowdown
    self.preemptionsPerSecond = preemptionsPerSecond
    self.sampling = sampling
    self.instructions = instructions
    self.injection = injection
    self.estimatedCycles = estimatedCycles
  }

  /// The median of the counted samples: instructions per run.
  package var medianInstructions: Double? {
    guard verification.passed, let instructions, !instructions.isEmpty else { return nil }
    return SampleStatistics.median(instructions)
  }

  /// (max − min) ÷ median of the counted samples: 0 when every count agreed.
  package var instructionSpread: Double? {
    guard let instructions, let median = medianInstructions, median > 0 else { return nil }
    return (instructions.max()! - instructions.min()!) / median
  }

  /// A wrong answer or a crash; a skipped cell (a build this compiler cannot
  /// make) is neither measured nor failed.
  package var failed: Bool { verification.status == .mismatch || verification.status == .crashed }
  package var skipped: Bool { verification.status == .skipped }
  package var median: Double? { verification.passed ? statistics?.median : nil }
}

extension CellResult: PreemptionCounted {}

// MARK: - A run

/// The settings a run was made with.
package struct RunSettings: Codable, Equatable, Sendable {
  /// `tiny`, `quick`, `full`, or a number.
  package var size: String
  package var minTimeMilliseconds: Double
  /// `--samples N`; absent when each cell sampled until precise enough (Sampling.swift).
  package var samples: Int?
  package var threads: [Int]
  /// Who ran the multi-thread cells; absent means `threads` (files before `--backend`).
  package var backend: Backend?
  /// Whether chunks ran under one global lock (`--gil`); absent means no.
  package var gil: Bool?

  package init(
    size: String, minTimeMilliseconds: Double, samples: Int?, threads: [Int], backend: Backend? = nil,
    gil: Bool? = nil
  ) {
    self.size = size
    self.minTimeMilliseconds = minTimeMilliseconds
    self.samples = samples
    self.threads = threads
    self.backend = backend
    self.gil = gil
  }
}

extension RunSettings {
  /// `5 samples of ≥ 50 ms` (a forced count) or `samples of ≥ 30 ms until precise`.
  package var samplingPhrase: String {
    let each = "≥ \(significant(minTimeMilliseconds)) ms"
    return samples.map { "\(counted($0, "sample")) of \(each)" } ?? "samples of \(each) until precise"
  }
}

/// A complete run: what `--format json` writes. See bench/SCHEMA.md.
package struct RunResults: Codable, Equatable, Sendable {
  package static let schema = "speedladder.results"
  package static let currentSchemaVersion = 1

  package var schema: String = RunResults.schema
  package var schemaVersion: Int = RunResults.currentSchemaVersion
  package var tool: String = "SpeedLadder \(speedLadderVersion)"
  package var settings: RunSettings
  package var provenance: Provenance
  package var cells: [CellResult]
  /// CPython, PyPy, Cython, NumPy and Numba cells (`--interpreters`); absent from runs without them,
  /// so files written before this field existed still read. See Interpreted.swift.
  package var interpreted: [InterpretedCell]?
  /// Set when the run was interrupted (Ctrl-C, SIGTERM): `cells` holds the
  /// kernels finished before it, every one of them complete. Absent otherwise.
  package var incomplete: Bool?

  package init(settings: RunSettings, provenance: Provenance, cells: [CellResult]) {
    self.settings = settings
    self.provenance = provenance
    self.cells = cells
  }

  package func cell(_ id: CellID) -> CellResult? { cells.first { $0.id == id } }

  /// Kernel names in the order their cells appear.
  package var kernels: [String] {
    var seen = Set<String>()
    return cells.map(\.id.kernel).filter { seen.insert($0).inserted }
  }

  package var anyFailed: Bool { !failedCells.isEmpty }

  /// Every failed cell, Swift and interpreted, as `kernel/build/flavour/threads`
  /// or `kernel/implementation/mode/workers`.
  package var failedCells: [String] {
    cells.filter(\.failed).map(\.id.description)
      + (interpreted ?? []).filter(\.failed).map(\.id.description)
  }

  /// "All cores" in the ladder (`Ladder.topThreads`), from this run's thread counts and cores.
  package var topThreads: Int { Ladder.topThreads(measured: settings.threads, cores: provenance.cores) }

  /// Median seconds of a cell that was measured and verified.
  package func median(_ id: CellID) -> Double? { cell(id)?.median }

  /// Speed-up of `to` over `from` (time of `from` ÷ time of `to`).
  package func speedup(from: CellID, to: CellID) -> Double? {
    guard let a = median(from), let b = median(to), b > 0 else { return nil }
    return a / b
  }

  /// A multi-thread cell's speed-up over the same build and flavour on one thread.
  package func threadSpeedup(_ id: CellID) -> Double? {
    guard id.threads > 1 else { return nil }
    var single = id
    single.threads = 1
    return speedup(from: single, to: id)
  }
}

extension RunResults {
  /// The JSON form (bench/SCHEMA.md): what `--format json`, baselines and workers write.
  package func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  package static func decode(_ data: Data) throws -> RunResults {
    try JSONDecoder().decode(RunResults.self, from: data)
  }
}

package let speedLadderVersion = "0.1.0"

/// Output formats for results.
package enum OutputFormat: String, CaseIterable, Sendable, Codable {
  case table, json, csv, markdown

  /// The format a file name implies (`.json`, `.csv`, `.md`), if any.
  package static func implied(by path: String) -> OutputFormat? {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "json": .json
    case "csv": .csv
    case "md", "markdown": .markdown
    case "txt": .table
    default: nil
    }
  }
}
