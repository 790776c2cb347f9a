// Running the interpreted rungs (`--interpreters`): find python3, pypy3,
// Cython, NumPy and Numba, run bench/python/rung.py once per cell at the Swift
// cells' size, and read its one JSON answer (the contract: bench/python/PROTOCOL.md).

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit

// MARK: - Finding the interpreters

/// The programs the interpreted rungs need, found at run time.
package struct PythonToolchain {
  /// `python3`: the CPython rung and the host of the Cython modules, NumPy and Numba.
  var python: URL?
  /// `pypy3`: the PyPy rung.
  var pypy: URL?
  /// `mojo`: builds the Mojo ports (bench/python/build_mojo.py); rung.py runs the built binaries.
  var mojo: URL?
  /// bench/python/rung.py in the package.
  var driver: URL?
  /// Why an implementation cannot run: one line naming what is missing and how to get it.
  var unavailable: [Implementation: String] = [:]
  /// A note for every cell of an implementation built once a run (mypyc,
  /// Mojo): what built it and how long that took, apart from the samples.
  var buildNotes: [Implementation: String] = [:]

  /// The interpreter an implementation runs under.
  func interpreter(for implementation: Implementation) -> URL? {
    implementation == .pypy ? pypy : python
  }

  /// Environment variables that name an interpreter instead of PATH (a path,
  /// or a name looked up on PATH); tests point them at a fake or at nothing.
  static let pythonVariable = "SPEEDLADDER_PYTHON"
  static let pypyVariable = "SPEEDLADDER_PYPY"
  static let mojoVariable = "SPEEDLADDER_MOJO"
  /// The Mojo version the ports are written for (bench/python/mojo_rung.py's PINNED).
  static let mojoInstall = "pip install mojo==1.2.0"

  /// Finds the interpreters and the driver; says nothing yet (see `messages`).
  package static func find(packageRoot: URL?, environment: [String: String]) -> PythonToolchain {
    var toolchain = PythonToolchain()
    switch locate("python3", override: pythonVariable, environment: environment) {
    case .success(let url): toolchain.python = url
    case .failure(let why):
      toolchain.unavailable[.cpython] = "\(why): no CPython rung (install Python 3, or set \(pythonVariable))"
      toolchain.unavailable[.cython] = "\(why): no Cython rung (it runs under python3)"
      toolchain.unavailable[.mypyc] = "\(why): no mypyc rung (it runs under python3)"
      toolchain.unavailable[.numpy] = "\(why): no NumPy rung (it runs under python3)"
      toolchain.unavailable[.numba] = "\(why): no Numba rungs (they run under python3)"
      toolchain.unavailable[.mojo] = "\(why): no Mojo rungs (rung.py drives them under python3)"
      toolchain.unavailable[.mojoSIMD] = toolchain.unavailable[.mojo]
    }
    switch locate("pypy3", override: pypyVariable, environment: environment) {
    case .success(let url): toolchain.pypy = url
    case .failure(let why):
      toolchain.unavailable[.pypy] = "\(why): no PyPy rung (apt-get install pypy3, or set \(pypyVariable))"
    }
    if toolchain.unavailable[.mojo] == nil {
      switch locate("mojo", override: mojoVariable, environment: environment) {
      case .success(let url): toolchain.mojo = url
      case .failure(let why):
        toolchain.unavailable[.mojo] = "\(why): no Mojo rungs (\(mojoInstall), or set \(mojoVariable))"
        toolchain.unavailable[.mojoSIMD] = toolchain.unavailable[.mojo]
      }
    }
    let driver = packageRoot?.appendingPathComponent("bench/python/rung.py")
    if let driver, FileManager.default.fileExists(atPath: driver.path) {
      toolchain.driver = driver
    } else {
      let why =
        driver.map { "\($0.path) not found" }
        ?? "no SpeedLadder package around this binary, so no bench/python/rung.py"
      for implementation in Implementation.python where toolchain.unavailable[implementation] == nil {
        toolchain.unavailable[implementation] = "\(why): no interpreted rungs (run from a SpeedLadder clone)"
      }
    }
    return toolchain
  }

  /// `name` on PATH, or what `variable` names; a one-line reason when neither is runnable.
  static func locate(
    _ name: String, override variable: String, environment: [String: String]
  ) -> Result<URL, Missing> {
    if let value = environment[variable], !value.isEmpty {
      if value.contains("/") {
        return FileManager.default.isExecutableFile(atPath: value)
          ? .success(URL(fileURLWithPath: value)) : .failure(Missing("\(variable)=\(value) is not an executable"))
      }
      return onPath(value, environment).map { .success($0) }
        ?? .failure(Missing("\(variable)=\(value) is not on PATH"))
    }
    return onPath(name, environment).map { .success($0) } ?? .failure(Missing("\(name) not found on PATH"))
  }

  struct Missing: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  private static func onPath(_ name: String, _ environment: [String: String]) -> URL? {
    let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return folders.lazy.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }
}

// MARK: - Running the driver

/// Measures the interpreted cells of a run and checks their answers.
package struct InterpretedRungs {
  var kernels: [String]
  /// The Swift cells' sizes: the interpreted cells never run a smaller input.
  var sizes: [String: Int]
  var samples: Int
  var minTimeMilliseconds: Double
  /// Workers for the threads-or-processes comparison: the active cores.
  var workers = activeCores()
  var toolchain: PythonToolchain
  var packageRoot: URL?
  var progress: ProgressLine
  /// Whether `prepared()` has built Cython's modules and looked for the libraries.
  private var isPrepared = false

  package init(
    kernels: [String], sizes: [String: Int], samples: Int, minTimeMilliseconds: Double,
    workers: Int = activeCores(), toolchain: PythonToolchain, packageRoot: URL?, progress: ProgressLine
  ) {
    self.kernels = kernels
    self.sizes = sizes
    self.samples = samples
    self.minTimeMilliseconds = minTimeMilliseconds
    self.workers = workers
    self.toolchain = toolchain
    self.packageRoot = packageRoot
    self.progress = progress
  }

  /// The cap on one interpreted cell: CPython runs a quick-size kernel in
  /// seconds, so it takes fewer samples (at least one) instead of a smaller input.
  static let maxSecondsPerCell = 20.0

  /// Kernels the threads-or-processes comparison prefers, in order: CPU-bound,
  /// chunked like the Swift flavours, no shared state between chunks.
  static let concurrencyKernels = lessonKernels.map(\.name)

  /// Runs every interpreted cell, then verifies them against the Swift cells.
  /// These rungs with Cython's modules built and the libraries looked for,
  /// saying once what is missing. A run of several kernels prepares before
  /// the first and measures each kernel with `only(_:)`.
  package func prepared() -> InterpretedRungs {
    var rungs = self
    prepareCython(&rungs.toolchain)
    prepareMypyc(&rungs.toolchain)
    prepareMojo(&rungs.toolchain)
    findLibraries(&rungs.toolchain)
    // Mojo and Mojo SIMD share their reasons: each line once.
    var said: Set<String> = []
    for implementation in Implementation.python {
      if let why = rungs.toolchain.unavailable[implementation], said.insert(why).inserted { progress.phase(why) }
    }
    if workers <= 1 {
      progress.phase("one core: no Numba parallel rung and no CPython threads-or-processes comparison")
    }
    let ready = Implementation.python.filter { rungs.toolchain.unavailable[$0] == nil }.map(\.displayName)
    if !ready.isEmpty {
      progress.phase(
        "interpreted rungs: \(ready.joined(separator: ", ")) on \(kernels.count) kernel(s), same sizes as Swift, "
          + "at most \(significant(Self.maxSecondsPerCell)) s a cell")
    }
    rungs.isPrepared = true
    return rungs
  }

  /// The same rungs for `kernel` alone.
  package func only(_ kernel: String) -> InterpretedRungs {
    var rungs = self
    rungs.kernels = [kernel]
    return rungs
  }

  package func run(verifyingAgainst swift: [CellResult]) -> [InterpretedCell] {
    guard isPrepared else { return prepared().run(verifyingAgainst: swift) }
    let planned = plan()
    var cells = planned.map { id in
      let size = sizes[id.kernel]!
      if let why = toolchain.unavailable[id.implementation] { return InterpretedCell.skipped(id, size: size, why) }
      if Kernels.kernel(named: id.kernel)?.isIOBound == true {
        // Waiting looks the same in every language; `benchmark concurrency` measures it in Swift.
        return InterpretedCell.skipped(
          id, size: size, "\(id.kernel) is I/O-bound and has no Python port; see `benchmark concurrency`")
      }
      progress.update("\(id.rung) \(id.kernel) (size \(size))…")
      return measure(id, size: size, toolchain: toolchain)
    }
    progress.done()
    verifyInterpreted(&cells, against: swift)
    noteCompiledWithoutGain(&cells)
    return cells
  }

  /// The cells of a run, in the order they run: each kernel's ladder (CPython
  /// → PyPy → Cython → mypyc → NumPy → Numba → Numba parallel on all cores →
  /// Mojo, one thread then all cores → Mojo SIMD, the same), then the
  /// threads-or-processes comparison on one lesson kernel: CPython threads
  /// (the GIL held), processes, and threads running Numba's nogil chunks.
  /// The driver answers "not applicable" (exit 3) for a kernel without a port.
  func plan() -> [InterpretedID] {
    var planned = kernels.flatMap { kernel -> [InterpretedID] in
      var ladder: [InterpretedID] = []
      for implementation in Implementation.python {
        ladder.append(InterpretedID(kernel: kernel, implementation: implementation))
        // Numba's and the Mojo ports' own threads: a rung on all cores after their one thread.
        if workers > 1, [.numba, .mojo, .mojoSIMD].contains(implementation) {
          ladder.append(InterpretedID(kernel: kernel, implementation: implementation, mode: .parallel, workers: workers))
        }
      }
      return ladder
    }
    if workers > 1, let kernel = Self.concurrencyKernels.first(where: kernels.contains) {
      planned += [
        InterpretedID(kernel: kernel, implementation: .cpython, mode: .threads, workers: workers),
        InterpretedID(kernel: kernel, implementation: .cpython, mode: .processes, workers: workers),
        InterpretedID(kernel: kernel, implementation: .numba, mode: .threads, workers: workers),
      ]
    }
    return planned
  }

  /// NumPy and Numba must be importable by python3; `find_spec` looks without
  /// importing (Numba's import alone takes a good part of a second). A missing
  /// one costs one line saying how to get it, and the run goes on.
  private func findLibraries(_ toolchain: inout PythonToolchain) {
    guard let python = toolchain.python else { return }
    let libraries = Implementation.python.compactMap(\.library)
    let probe = try? runProcess(
      python.path,
      ["-c", "import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if u.find_spec(m) is None))"]
        + libraries)
    guard let probe, probe.succeeded else { return }  // the driver's exit 5 will say it, cell by cell
    let missing = Set(String(decoding: probe.standardOutput, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init))
    for implementation in Implementation.python where toolchain.unavailable[implementation] == nil {
      guard let library = implementation.library, missing.contains(library) else { continue }
      let rungs = implementation == .numba ? "no Numba rungs" : "no \(implementation.displayName) rung"
      toolchain.unavailable[implementation] =
        "\(library) is not installed for \(python.path): \(rungs) (\(python.path) -m pip install \(library))"
    }
  }

  /// Cython needs `import Cython` under python3 and its modules built
  /// (bench/python/build_cython.py, which skips what is up to date).
  private func prepareCython(_ toolchain: inout PythonToolchain) {
    guard toolchain.unavailable[.cython] == nil, let python = toolchain.python else { return }
    let probe = try? runProcess(python.path, ["-c", "import Cython"])
    guard probe?.succeeded == true else {
      toolchain.unavailable[.cython] = "Cython is not installed for \(python.path): no Cython rung (pip install cython)"
      return
    }
    runBuilder(
      "build_cython.py", phase: "building the Cython modules…", built: "the Cython modules", rungs: "no Cython rung",
      for: [.cython], &toolchain)
  }

  /// mypyc needs `import mypyc` (it ships inside mypy) under python3 and the
  /// plain kernels compiled (bench/python/build_mypyc.py, which skips what is
  /// up to date). The build's time goes into every mypyc cell's notes; a kernel
  /// mypyc refuses is named here once, and its cell says why (exit 3).
  private func prepareMypyc(_ toolchain: inout PythonToolchain) {
    guard toolchain.unavailable[.mypyc] == nil, let python = toolchain.python else { return }
    let probe = try? runProcess(python.path, ["-c", "import mypyc"])
    guard probe?.succeeded == true else {
      toolchain.unavailable[.mypyc] =
        "mypy is not installed for \(python.path): no mypyc rung (\(python.path) -m pip install mypy)"
      return
    }
    guard
      let output = runBuilder(
        "build_mypyc.py", phase: "compiling the plain kernels with mypyc…", built: "the mypyc modules",
        rungs: "no mypyc rung", for: [.mypyc], saying: ": not compiled: ", &toolchain)
    else { return }
    toolchain.buildNotes[.mypyc] = Self.buildNote(summary: lastLine(output.text), builder: "build_mypyc.py")
  }

  /// The Mojo ports built by bench/python/build_mojo.py with the `mojo` found
  /// (skipping what is up to date). A port that does not compile is named here
  /// once with the compiler's first error line, and its cells are skipped with
  /// that line (rung.py's exit 4); a build that fails altogether skips every
  /// Mojo rung with its last line. The run goes on either way.
  private func prepareMojo(_ toolchain: inout PythonToolchain) {
    guard toolchain.unavailable[.mojo] == nil, let mojo = toolchain.mojo else { return }
    guard
      let output = runBuilder(
        "build_mojo.py", ["--mojo", mojo.path], phase: "building the Mojo ports…", built: "the Mojo ports",
        rungs: "no Mojo rungs", for: [.mojo, .mojoSIMD], saying: "build_mojo.py: ", &toolchain)
    else { return }
    let note = Self.buildNote(summary: lastLine(output.text), builder: "build_mojo.py")
    toolchain.buildNotes[.mojo] = note
    toolchain.buildNotes[.mojoSIMD] = note
  }

  /// Runs bench/python/SCRIPT (each skips what is up to date) under python3
  /// in the package root, saying so first, and returns its output when it
  /// succeeds; its standard error lines containing `saying` (a kernel it left
  /// out) are said once. A script that is missing or fails makes
  /// `implementations` unavailable with one line ("PATH not found: no … rung",
  /// "… did not build (its last error line): no … rung") and returns nil.
  @discardableResult
  private func runBuilder(
    _ script: String, _ arguments: [String] = [], phase: String, built what: String, rungs: String,
    for implementations: [Implementation], saying: String? = nil, _ toolchain: inout PythonToolchain
  ) -> ProcessOutput? {
    guard let python = toolchain.python, let root = packageRoot else { return nil }
    let builder = root.appendingPathComponent("bench/python/\(script)")
    func unavailable(_ why: String) -> ProcessOutput? {
      for implementation in implementations { toolchain.unavailable[implementation] = why }
      return nil
    }
    guard FileManager.default.fileExists(atPath: builder.path) else {
      return unavailable("\(builder.path) not found: \(rungs)")
    }
    progress.phase("\(phase) (python3 \((["bench/python/\(script)"] + arguments).joined(separator: " ")))")
    let output = try? runProcess(python.path, [builder.path] + arguments, directory: root)
    guard let output, output.succeeded else {
      let why = output.map { lastLine($0.standardError) ?? "exit status \($0.status)" } ?? "cannot run \(python.path)"
      return unavailable("\(what) did not build (\(why)): \(rungs)")
    }
    if let saying {
      for line in output.standardError.split(whereSeparator: \.isNewline) where line.contains(saying) {
        progress.phase(String(line))
      }
    }
    return output
  }

  /// "compiled once a run by NAME in 30.0 s (every kernel), not in the samples",
  /// from the build's summary line ("… in 30.0 s"), or "up to date" when it built nothing.
  static func buildNote(summary: String?, builder: String) -> String {
    guard let summary else { return "built by \(builder) before the run, not in the samples" }
    if let range = summary.range(of: #" in [0-9.]+ s$"#, options: .regularExpression) {
      return "compiled once a run by \(builder)\(summary[range]) (every kernel), not in the samples"
    }
    return "\(builder): up to date (built by an earlier run), not in the samples"
  }

  /// The driver's command line for one cell.
  func arguments(_ id: InterpretedID, size: Int, driver: URL) -> [String] {
    [
      driver.path, "--kernel", id.kernel, "--size", String(size),
      "--samples", String(samples), "--min-time", String(minTimeMilliseconds),
      "--impl", id.implementation.driverImpl, "--mode", id.mode.rawValue, "--workers", String(id.workers),
      "--max-seconds", String(Self.maxSecondsPerCell),
    ]
  }

  /// Runs the driver for one cell and reads its answer (not yet verified).
  func measure(_ id: InterpretedID, size: Int, toolchain: PythonToolchain) -> InterpretedCell {
    guard let interpreter = toolchain.interpreter(for: id.implementation), let driver = toolchain.driver else {
      return .skipped(id, size: size, "no interpreter or driver")
    }
    let output: ProcessOutput
    do {
      output = try runProcess(interpreter.path, arguments(id, size: size, driver: driver), directory: packageRoot)
    } catch {
      return Self.crashed(id, size, "cannot run \(interpreter.path): \(error)")
    }
    var cell = Self.read(output, id: id, size: size)
    if !cell.skipped, !cell.failed, let note = toolchain.buildNotes[id.implementation] { cell.notes.append(note) }
    return cell
  }

  /// A finished driver's exit status and output, as a cell (PROTOCOL.md's exit codes).
  package static func read(_ output: ProcessOutput, id: InterpretedID, size: Int) -> InterpretedCell {
    let said = lastLine(output.standardError)
    if output.signalled {
      return crashed(id, size, "rung.py was killed by signal \(output.status)")
    }
    switch output.status {
    case 0:
      return parse(output.standardOutput, id: id, size: size)
    case 3:
      // "not applicable: numba binary-trees: <why>", or the kernel has no port yet.
      return .skipped(
        id, size: size, said.map(withoutPrefix) ?? "rung.py has no \(id.implementation.displayName) version of \(id.kernel)")
    case 4:
      return .skipped(id, size: size, said ?? "the Cython module is not built: pip install cython, then python3 bench/python/build_cython.py")
    case 5:
      let library = id.implementation.library ?? "numba"
      return .skipped(
        id, size: size, said.map(withoutPrefix) ?? "\(library) not installed: python3 -m pip install \(library)")
    default:
      return crashed(id, size, "rung.py exited with status \(output.status)" + (said.map { ": \($0)" } ?? ""))
    }
  }

  /// What rung.py prints on success: one JSON object (PROTOCOL.md).
  private struct DriverReport: Decodable {
    var kernel: String
    var size: Int
    var implementation: String
    var interpreter: String
    var mode: String
    var workers: Int
    var result: KernelResult
    var samples: [Double]
    var runsPerSample: [Int]
    var setupSeconds: Double?
    var startupSeconds: Double?
    var compileSeconds: Double?
    var library: String?
    var note: String?
  }

  /// Reads the driver's JSON into a cell; anything that breaks the protocol
  /// (or answers for another cell) makes the cell fail, loudly.
  package static func parse(_ data: Data, id: InterpretedID, size: Int) -> InterpretedCell {
    let report: DriverReport
    do {
      report = try JSONDecoder().decode(DriverReport.self, from: data)
    } catch {
      let text = String(decoding: data.prefix(120), as: UTF8.self)
      return crashed(id, size, "rung.py's output is not the protocol's JSON (\(error)): \(text)")
    }
    let asked = "\(id.kernel) \(size) \(id.implementation.rawValue) \(id.mode.rawValue) \(id.workers)"
    let answered = "\(report.kernel) \(report.size) \(report.implementation) \(report.mode) \(report.workers)"
    guard asked == answered else {
      return crashed(id, size, "rung.py answered for '\(answered)', not '\(asked)'")
    }
    guard !report.samples.isEmpty, report.samples.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      return crashed(id, size, "rung.py reported no usable samples: \(report.samples)")
    }
    var cell = InterpretedCell(
      id: id, interpreter: report.interpreter, size: size, runsPerSample: report.runsPerSample,
      samples: report.samples, setupSeconds: report.setupSeconds ?? 0, startupSeconds: report.startupSeconds,
      compileSeconds: report.compileSeconds, library: report.library, result: report.result,
      verification: CellVerification(.agreement, "not verified yet"))
    if let note = report.note, !note.isEmpty { cell.notes.append(note) }
    if let statistics = cell.statistics, statistics.isNoisy {
      cell.notes.append("noisy: CV \(formatPercent(statistics.cv)) > \(formatPercent(SampleStatistics.noisyCV))")
    }
    return cell
  }

  /// `why` quotes rung.py's output; its line breaks become ⏎, since the detail
  /// is one line in tables and reports.
  private static func crashed(_ id: InterpretedID, _ size: Int, _ why: String) -> InterpretedCell {
    let detail = why.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
    return InterpretedCell(id: id, size: size, verification: CellVerification(.crashed, detail))
  }
}

/// The driver's line without its `rung.py: ` prefix.
private func withoutPrefix(_ line: String) -> String {
  line.hasPrefix("rung.py: ") ? String(line.dropFirst("rung.py: ".count)) : line
}

/// The last non-empty line of a program's standard error.
private func lastLine(_ text: String) -> String? {
  text.split(whereSeparator: \.isNewline).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
}

// MARK: - Verification

/// A compiled rung of the same source (mypyc) that is no faster than CPython
/// says so in its cell: compiling the Python around the work changes nothing
/// when the work is already C inside CPython (slice assignment, allocation,
/// built-ins on bytes and dicts).
func noteCompiledWithoutGain(_ cells: inout [InterpretedCell]) {
  for i in cells.indices where cells[i].id.implementation == .mypyc && cells[i].id.mode == .serial {
    guard let compiled = cells[i].median,
      let cpython = cells.first(where: {
        $0.id == InterpretedID(kernel: cells[i].id.kernel, implementation: .cpython)
      })?.median
    else { continue }
    let gain = cpython / compiled
    if gain < 1.1 {
      cells[i].notes.append(
        "mypyc does not speed this kernel up (\(formatRatio(gain)) over CPython): its time is in C that CPython "
          + "already runs (slices, allocation, built-ins), which compiling the Python around it leaves as it is")
    }
  }
}

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

