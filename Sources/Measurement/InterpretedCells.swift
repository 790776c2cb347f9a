// The interpreted rungs: CPython, PyPy and Cython cells, how they are checked,
// and where they stand on a kernel's ladder. Running them is Interpreters.swift.

import Foundation
import KernelKit
import Kernels

// MARK: - Cells

/// Which Python runs a kernel's Python port.
public enum Implementation: String, CaseIterable, Codable, Sendable, Comparable {
  /// The reference interpreter, `python3`: where a Python user starts.
  case cpython
  /// The tracing JIT, `pypy3`, running the same plain-Python source.
  case pypy
  /// The kernel's typed `.pyx`, compiled to a C extension and imported by `python3`.
  case cython

  public static func < (a: Implementation, b: Implementation) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// `CPython`, `PyPy`, `Cython`.
  public var displayName: String {
    switch self {
    case .cpython: "CPython"
    case .pypy: "PyPy"
    case .cython: "Cython"
    }
  }

  /// The `--impl` value the driver takes.
  var driverImpl: String { self == .cython ? "cython" : "python" }
}

/// Who runs the chunks of a Python cell.
public enum PythonMode: String, CaseIterable, Codable, Sendable, Comparable {
  /// One thread, no pool: the ladder's rungs.
  case serial
  /// A `ThreadPoolExecutor`: one GIL, so about 1× on CPU-bound work.
  case threads
  /// A `multiprocessing.Pool`: a process per worker, start-up measured apart.
  case processes

  public static func < (a: PythonMode, b: PythonMode) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Which interpreted cell: kernel × implementation × mode × workers.
public struct InterpretedID: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
  public var kernel: String
  public var implementation: Implementation
  public var mode: PythonMode
  public var workers: Int

  public init(kernel: String, implementation: Implementation, mode: PythonMode = .serial, workers: Int = 1) {
    self.kernel = kernel
    self.implementation = implementation
    self.mode = mode
    self.workers = workers
  }

  /// `cpython·1`, `cpython·processes·2`: the ladder's notation.
  public var rung: String {
    mode == .serial
      ? "\(implementation.rawValue)·\(workers)"
      : "\(implementation.rawValue)·\(mode.rawValue)·\(workers)"
  }

  /// `mandelbrot/cpython/serial/1`: stable, for file formats and messages.
  public var description: String { "\(kernel)/\(implementation.rawValue)/\(mode.rawValue)/\(workers)" }

  public static func < (a: InterpretedID, b: InterpretedID) -> Bool {
    (a.kernel, a.mode, a.implementation, a.workers) < (b.kernel, b.mode, b.implementation, b.workers)
  }
}

/// Everything measured about one interpreted cell, as the driver reported it
/// (bench/python/PROTOCOL.md) and as the harness checked it.
public struct InterpretedCell: Codable, Equatable, Sendable {
  public var id: InterpretedID
  /// `CPython 3.11.7`, `PyPy 7.3.11 (Python 3.9.16)`; nil when it never ran.
  public var interpreter: String?
  /// The kernel's size parameter: always the Swift cells' size.
  public var size: Int
  /// Runs per sample, one entry per sample.
  public var runsPerSample: [Int]
  /// Seconds per run, one entry per sample.
  public var samples: [Double]
  public var statistics: SampleStatistics?
  /// Input generation, outside the timed region.
  public var setupSeconds: Double
  /// Processes mode: the pool's start-up, measured apart from the samples.
  public var startupSeconds: Double?
  public var result: KernelResult?
  /// `skipped` when the interpreter, the Cython module or the kernel's port is missing.
  public var verification: CellVerification
  public var notes: [String]

  public init(
    id: InterpretedID, interpreter: String? = nil, size: Int, runsPerSample: [Int] = [],
    samples: [Double] = [], setupSeconds: Double = 0, startupSeconds: Double? = nil,
    result: KernelResult? = nil, verification: CellVerification, notes: [String] = []
  ) {
    self.id = id
    self.interpreter = interpreter
    self.size = size
    self.runsPerSample = runsPerSample
    self.samples = samples
    self.statistics = samples.isEmpty ? nil : SampleStatistics(samples)
    self.setupSeconds = setupSeconds
    self.startupSeconds = startupSeconds
    self.result = result
    self.verification = verification
    self.notes = notes
  }

  /// A cell that was not measured, with the reason.
  static func skipped(_ id: InterpretedID, size: Int, _ why: String) -> InterpretedCell {
    InterpretedCell(id: id, size: size, verification: CellVerification(.skipped, why))
  }

  public var skipped: Bool { verification.status == .skipped }
  /// A wrong answer or a driver that broke; a skipped cell is not a failure.
  public var failed: Bool { verification.status == .mismatch || verification.status == .crashed }
  public var median: Double? { verification.passed ? statistics?.median : nil }
}

// MARK: - Verification

/// Checks each measured interpreted cell like any other cell: against its
/// kernel's reference for the size, then against the Swift cells' consensus
/// (`swift` has been cross-verified already). Without a Swift answer for the
/// kernel, the interpreted cells must agree with the first of them that passed.
func verifyInterpreted(_ cells: inout [InterpretedCell], against swift: [CellResult]) {
  for i in cells.indices {
    guard let result = cells[i].result, cells[i].verification.status != .skipped,
      cells[i].verification.status != .crashed, let kernel = kernel(named: cells[i].id.kernel)
    else { continue }
    switch kernel.verify(result, size: cells[i].size) {
    case .matches(let what): cells[i].verification = CellVerification(.reference, what)
    case .noReference: cells[i].verification = CellVerification(.agreement, "no reference at this size")
    case .mismatch(let why):
      cells[i].verification = CellVerification(.mismatch, why)
      continue
    }
    let swiftAnswer = swift.first {
      $0.id.kernel == kernel.name && $0.size == cells[i].size && $0.verification.passed && $0.result != nil
    }?.result
    let earlier = cells[..<i].first {
      $0.id.kernel == kernel.name && $0.size == cells[i].size && $0.verification.passed
    }
    if let expected = swiftAnswer ?? earlier?.result {
      let against = swiftAnswer != nil ? "the Swift cells" : earlier!.id.rung
      if result.agrees(with: expected, tolerance: kernel.tolerance) {
        if cells[i].verification.status == .agreement {
          cells[i].verification.detail = "no reference at this size; agrees with \(against)"
        }
      } else {
        cells[i].verification = CellVerification(
          .mismatch, "differs from \(against): got \(result), expected \(expected)")
      }
    }
  }
}

// MARK: - The ladder with Python in it

/// A rung of any kind, for comparisons that cross from Python to Swift.
public enum Rung: Hashable, Sendable, CustomStringConvertible {
  case swift(Build, Flavour, threads: Int)
  case python(Implementation, PythonMode, workers: Int)

  public var description: String {
    switch self {
    case .swift(let build, let flavour, let threads): "\(build.rawValue)·\(flavour.rawValue)·\(threads)"
    case .python(let implementation, let mode, let workers):
      InterpretedID(kernel: "", implementation: implementation, mode: mode, workers: workers).rung
    }
  }
}

/// A comparison between two rungs, summarised over kernels like a ladder step.
public struct RungComparison: Sendable {
  public var name: String
  public var what: String
  public var from: Rung
  public var to: Rung
  /// Per kernel, in report order; kernels missing either cell are left out.
  public var gains: [(kernel: String, gain: Double)]

  public var geometricMean: Double { Harness.geometricMean(gains.map(\.gain)) }
}

extension RunResults {
  /// A kernel's interpreted rungs, in ladder order: CPython → PyPy → Cython.
  public func interpretedLadder(for kernel: String) -> [InterpretedCell] {
    (interpreted ?? []).filter { $0.id.kernel == kernel && $0.id.mode == .serial }
      .sorted { $0.id.implementation < $1.id.implementation }
  }

  /// Median seconds of a verified cell of any kind.
  public func median(_ rung: Rung, kernel: String) -> Double? {
    switch rung {
    case .swift(let build, let flavour, let threads):
      median(CellID(kernel: kernel, flavour: flavour, build: build, threads: threads))
    case .python(let implementation, let mode, let workers):
      interpreted?.first {
        $0.id == InterpretedID(kernel: kernel, implementation: implementation, mode: mode, workers: workers)
      }?.median
    }
  }

  /// What Python users compare: CPython against PyPy, Cython, Swift debug and
  /// release C on all cores. Empty when the run has no CPython cell.
  public var pythonComparisons: [RungComparison] {
    guard interpreted?.contains(where: { $0.id.implementation == .cpython && $0.median != nil }) == true
    else { return [] }
    let cpython = Rung.python(.cpython, .serial, workers: 1)
    let candidates: [(String, String, Rung)] = [
      ("PyPy", "CPython → PyPy, same source", .python(.pypy, .serial, workers: 1)),
      ("Cython", "CPython → typed Cython module", .python(.cython, .serial, workers: 1)),
      ("Swift debug", "CPython → debug·idiomatic·1", .swift(.debug, .idiomatic, threads: 1)),
      ("Swift release", "CPython → release·idiomatic·1", .swift(.release, .idiomatic, threads: 1)),
      ("all cores", "CPython → release·c·\(topThreads)", .swift(.release, .c, threads: topThreads)),
    ]
    return candidates.map { name, what, to in
      let gains = reportKernels.compactMap { kernel -> (String, Double)? in
        guard let a = median(cpython, kernel: kernel), let b = median(to, kernel: kernel), b > 0 else { return nil }
        return (kernel, a / b)
      }
      return RungComparison(name: name, what: what, from: cpython, to: to, gains: gains)
    }.filter { !$0.gains.isEmpty }
  }

  /// Kernel names of the Swift cells, then any kernel only the interpreted cells have.
  var reportKernels: [String] {
    var names = kernels
    for cell in interpreted ?? [] where !names.contains(cell.id.kernel) {
      names.append(cell.id.kernel)
    }
    return names
  }
}
