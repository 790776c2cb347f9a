// The interpreted rungs: CPython, PyPy, Cython, NumPy and Numba cells, how they
// are checked, and where they stand on a kernel's ladder. Running them is
// Sources/Interpreters/PythonRungs.swift.

import Foundation
import KernelKit

// MARK: - Cells

/// Which Python runs a kernel's Python port, in ladder order.
package enum Implementation: String, CaseIterable, Codable, Sendable, Comparable {
  /// The reference interpreter, `python3`: where a Python user starts.
  case cpython
  /// The tracing JIT, `pypy3`, running the same plain-Python source.
  case pypy
  /// The kernel's typed `.pyx`, compiled to a C extension and imported by `python3`.
  case cython
  /// The plain kernel itself (its hot functions type-annotated), compiled by
  /// mypyc to a C extension and imported by `python3`: the same source, compiled.
  case mypyc
  /// The kernel's NumPy port under `python3`: whole-array operations, no Python loop over elements.
  case numpy
  /// The plain kernel's loops under `@njit` (a per-function LLVM JIT) in `python3`.
  case numba
  /// The kernel's Mojo port (bench/mojo/), scalar: the C flavour's algorithm,
  /// built by `mojo build` once a run and timed by rung.py's protocol.
  case mojo
  /// The same port's SIMD variant: the Swift vector flavour's lanes and algorithm.
  case mojoSIMD = "mojo-simd"
  /// Not Python: the tuned library (a BLAS's `cblas_dgemm`, loaded with
  /// dlopen), shown beside the ladder, not on it (MeasurementKit/BLAS.swift).
  case blas

  /// The implementations bench/python/rung.py drives: Python's, and the Mojo ports.
  package static let python = allCases.filter { $0 != .blas }

  package static func < (a: Implementation, b: Implementation) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// `CPython`, `PyPy`, `Cython`, `mypyc`, `NumPy`, `Numba`, `Mojo`, `Mojo SIMD`.
  package var displayName: String {
    switch self {
    case .cpython: "CPython"
    case .pypy: "PyPy"
    case .cython: "Cython"
    case .mypyc: "mypyc"
    case .numpy: "NumPy"
    case .numba: "Numba"
    case .mojo: "Mojo"
    case .mojoSIMD: "Mojo SIMD"
    case .blas: "BLAS"
    }
  }

  /// The `--impl` value the driver takes.
  package var driverImpl: String {
    switch self {
    case .cpython, .pypy: "python"
    case .cython, .mypyc, .numpy, .numba, .mojo, .mojoSIMD, .blas: rawValue
    }
  }

  /// The library the implementation imports, which `pip` installs; nil for the
  /// interpreters and the builds (Cython, mypyc, Mojo).
  package var library: String? {
    switch self {
    case .numpy, .numba: rawValue
    case .cpython, .pypy, .cython, .mypyc, .mojo, .mojoSIMD, .blas: nil
    }
  }
}

/// Who runs the chunks of a Python cell.
package enum PythonMode: String, CaseIterable, Codable, Sendable, Comparable {
  /// One thread, no pool: the ladder's rungs.
  case serial
  /// A `ThreadPoolExecutor`: one GIL, so about 1× on CPU-bound work.
  case threads
  /// A `multiprocessing.Pool`: a process per worker, start-up measured apart.
  case processes
  /// The library's own threads: Numba's `@njit(parallel=True)` with `prange`
  /// over the same chunks (a ladder rung on all cores), NumPy's BLAS threads,
  /// or the Mojo ports' POSIX threads claiming the same chunks.
  case parallel

  package static func < (a: PythonMode, b: PythonMode) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Which interpreted cell: kernel × implementation × mode × workers.
package struct InterpretedID: Hashable, Codable, Sendable, CustomStringConvertible {
  package var kernel: String
  package var implementation: Implementation
  package var mode: PythonMode
  package var workers: Int

  package init(kernel: String, implementation: Implementation, mode: PythonMode = .serial, workers: Int = 1) {
    self.kernel = kernel
    self.implementation = implementation
    self.mode = mode
    self.workers = workers
  }

  /// Whether the cell is a rung of the kernel's ladder (one thread, or the
  /// library's own threads), not a row of the threads-or-processes comparison.
  package var isLadderRung: Bool { mode == .serial || mode == .parallel }

  /// `cpython·1`, `cpython·processes·2`, `numba·parallel·2`: the ladder's notation.
  package var rung: String {
    mode == .serial
      ? "\(implementation.rawValue)·\(workers)"
      : "\(implementation.rawValue)·\(mode.rawValue)·\(workers)"
  }

  /// `mandelbrot/cpython/serial/1`: stable, for file formats and messages.
  package var description: String { "\(kernel)/\(implementation.rawValue)/\(mode.rawValue)/\(workers)" }
}

extension KernelCatalogue {
  /// Whether interpreted cell `a` is listed before `b`: kernels in this
  /// catalogue's order, then mode, implementation, workers.
  package func lists(_ a: InterpretedID, before b: InterpretedID) -> Bool {
    (rank(of: a.kernel), a.kernel, a.mode, a.implementation, a.workers)
      < (rank(of: b.kernel), b.kernel, b.mode, b.implementation, b.workers)
  }
}

/// Everything measured about one interpreted cell, as the driver reported it
/// (bench/python/PROTOCOL.md) and as the harness checked it.
package struct InterpretedCell: Codable, Equatable, Sendable {
  package var id: InterpretedID
  /// `CPython 3.11.7`, `PyPy 7.3.11 (Python 3.9.16)`; nil when it never ran.
  package var interpreter: String?
  /// The kernel's size parameter: always the Swift cells' size.
  package var size: Int
  /// Runs per sample, one entry per sample.
  package var runsPerSample: [Int]
  /// Seconds per run, one entry per sample.
  package var samples: [Double]
  package var statistics: SampleStatistics?
  /// Input generation, outside the timed region.
  package var setupSeconds: Double
  /// Processes mode: the pool's start-up, measured apart from the samples.
  package var startupSeconds: Double?
  /// Numba: the JIT compile (a first call at the tiny size), apart from the
  /// samples; the driver counts it in `setupSeconds` too.
  package var compileSeconds: Double?
  /// NumPy and Numba: `NumPy 2.4.6`, `Numba 0.68.1 (NumPy 2.4.6)`.
  package var library: String?
  package var result: KernelResult?
  /// `skipped` when the interpreter, the Cython module, NumPy or Numba or the
  /// kernel's port is missing, or the port is not applicable to the kernel.
  package var verification: CellVerification
  package var notes: [String]

  package init(
    id: InterpretedID, interpreter: String? = nil, size: Int, runsPerSample: [Int] = [],
    samples: [Double] = [], setupSeconds: Double = 0, startupSeconds: Double? = nil, compileSeconds: Double? = nil,
    library: String? = nil, result: KernelResult? = nil, verification: CellVerification, notes: [String] = []
  ) {
    self.id = id
    self.interpreter = interpreter
    self.size = size
    self.runsPerSample = runsPerSample
    self.samples = samples
    self.statistics = samples.isEmpty ? nil : SampleStatistics(samples)
    self.setupSeconds = setupSeconds
    self.startupSeconds = startupSeconds
    self.compileSeconds = compileSeconds
    self.library = library
    self.result = result
    self.verification = verification
    self.notes = notes
  }

  /// A cell that was not measured, with the reason.
  package static func skipped(_ id: InterpretedID, size: Int, _ why: String) -> InterpretedCell {
    InterpretedCell(id: id, size: size, verification: CellVerification(.skipped, why))
  }

  package var skipped: Bool { verification.status == .skipped }
  /// Skipped because the port does not fit the kernel (the driver's exit 3 "not applicable: …").
  package var notApplicable: Bool { skipped && verification.detail.hasPrefix("not applicable") }
  /// A wrong answer or a driver that broke; a skipped cell is not a failure.
  package var failed: Bool { verification.status == .mismatch || verification.status == .crashed }
  package var median: Double? { verification.passed ? statistics?.median : nil }

  /// What ran it: `CPython 3.11.2`, or `Numba 0.68.1 (NumPy 2.4.6) on CPython 3.11.2`.
  package var ranOn: String {
    let interpreter = interpreter ?? id.implementation.displayName
    return library.map { "\($0) on \(interpreter)" } ?? interpreter
  }
}

