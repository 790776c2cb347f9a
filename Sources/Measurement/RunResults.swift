// What a run measured: the model behind every output format and the worker protocol.

import Foundation
import KernelKit

// MARK: - Cells

/// A build configuration of the package.
public enum Build: String, CaseIterable, Codable, Sendable, Comparable {
  case debug, release

  public static func < (a: Build, b: Build) -> Bool { a == .debug && b == .release }

  /// The configuration this binary was compiled in.
  public static var current: Build {
    #if DEBUG
      .debug
    #else
      .release
    #endif
  }
}

/// Which cell: kernel × flavour × build × threads.
public struct CellID: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
  public var kernel: String
  public var flavour: Flavour
  public var build: Build
  public var threads: Int

  public init(kernel: String, flavour: Flavour, build: Build, threads: Int) {
    self.kernel = kernel
    self.flavour = flavour
    self.build = build
    self.threads = threads
  }

  /// `release·c·2`, the notation of the ladder (the kernel is said elsewhere).
  public var rung: String { "\(build.rawValue)·\(flavour.rawValue)·\(threads)" }

  /// `mandelbrot/release/c/2`: stable, for file formats and command lines.
  public var description: String { "\(kernel)/\(build.rawValue)/\(flavour.rawValue)/\(threads)" }

  public init?(_ text: String) {
    let parts = text.split(separator: "/").map(String.init)
    guard parts.count == 4, let build = Build(rawValue: parts[1]),
      let flavour = Flavour(rawValue: parts[2]), let threads = Int(parts[3])
    else { return nil }
    self.init(kernel: parts[0], flavour: flavour, build: build, threads: threads)
  }

  public static func < (a: CellID, b: CellID) -> Bool {
    (a.kernel, a.build, a.flavour, a.threads) < (b.kernel, b.build, b.flavour, b.threads)
  }
}

/// How a cell's answer was checked.
public struct CellVerification: Codable, Equatable, Sendable {
  public enum Status: String, Codable, Sendable {
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

  public var status: Status
  public var detail: String

  public init(_ status: Status, _ detail: String) {
    self.status = status
    self.detail = detail
  }

  public var passed: Bool { status == .reference || status == .agreement }
}

/// Everything measured about one cell.
public struct CellResult: Codable, Equatable, Sendable {
  public var id: CellID
  /// The kernel's size parameter.
  public var size: Int
  /// Kernel runs per timed sample (calibrated so that a sample lasts the minimum time).
  public var runsPerSample: Int
  /// Seconds per run, one entry per sample.
  public var samples: [Double]
  /// Process CPU seconds per run, one entry per sample (all threads).
  public var cpuSamples: [Double]
  /// `nil` when the cell failed before it was timed.
  public var statistics: SampleStatistics?
  /// Seconds spent generating input and allocating, outside the timed region.
  public var setupSeconds: Double
  public var result: KernelResult?
  public var verification: CellVerification
  /// Remarks a reader should see (fewer samples, noisy, …).
  public var notes: [String]
  /// Set only when `--inject-slowdown` made this cell do this many times its
  /// real work (to prove a gate); absent in honest runs.
  public var slowdown: Double? = nil
  /// How often the scheduler took a core from this process's threads to run
  /// something else while the samples ran (involuntary context switches per
  /// second of sampling). Near 0 on a quiet machine.
  public var preemptionsPerSecond: Double? = nil

  public var failed: Bool { !verification.passed }
  public var median: Double? { failed ? nil : statistics?.median }
}

// MARK: - A run

/// The settings a run was made with.
public struct RunSettings: Codable, Equatable, Sendable {
  /// `tiny`, `quick`, `full`, or a number.
  public var size: String
  public var minTimeMilliseconds: Double
  public var samples: Int
  public var threads: [Int]
  /// Who ran the multi-thread cells; absent means `threads` (files before `--backend`).
  public var backend: Backend?
  /// Whether chunks ran under one global lock (`--gil`); absent means no.
  public var gil: Bool?

  public init(
    size: String, minTimeMilliseconds: Double, samples: Int, threads: [Int], backend: Backend? = nil,
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

/// A complete run: what `--format json` writes. See bench/SCHEMA.md.
public struct RunResults: Codable, Equatable, Sendable {
  public static let schema = "speedladder.results"
  public static let currentSchemaVersion = 1

  public var schema: String = RunResults.schema
  public var schemaVersion: Int = RunResults.currentSchemaVersion
  public var tool: String = "SpeedLadder \(speedLadderVersion)"
  public var settings: RunSettings
  public var provenance: Provenance
  public var cells: [CellResult]
  /// CPython, PyPy and Cython cells (`--interpreters`); absent from runs without them,
  /// so files written before this field existed still read. See Interpreted.swift.
  public var interpreted: [InterpretedCell]?

  public init(settings: RunSettings, provenance: Provenance, cells: [CellResult]) {
    self.settings = settings
    self.provenance = provenance
    self.cells = cells
  }

  public func cell(_ id: CellID) -> CellResult? { cells.first { $0.id == id } }

  /// Kernel names in the order their cells appear.
  public var kernels: [String] {
    var seen = Set<String>()
    return cells.map(\.id.kernel).filter { seen.insert($0).inserted }
  }

  public var anyFailed: Bool { !failedCells.isEmpty }

  /// Every failed cell, Swift and interpreted, as `kernel/build/flavour/threads`
  /// or `kernel/implementation/mode/workers`.
  public var failedCells: [String] {
    cells.filter(\.failed).map(\.id.description)
      + (interpreted ?? []).filter(\.failed).map(\.id.description)
  }
}

public let speedLadderVersion = "0.1.0"
