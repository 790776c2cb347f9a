// The interpreted rungs: a missing interpreter, the driver's protocol (with a
// fake interpreter in a scratch folder), verification, and the ladder's order.

import Foundation
import TestSupport
import Testing
import KernelKit
import Kernels
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports
@testable import Workers

@Suite("Interpreted rungs")
struct InterpreterTests {
  // MARK: - Fixtures

  /// The driver's JSON for a serial CPython nqueens cell answering `result`.
  static func driverJSON(_ result: KernelResult, kernel: String = "nqueens") throws -> String {
    let resultJSON = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
    return """
      {"kernel": "\(kernel)", "size": \(Fixtures.Interpreter.nqueensSize), "implementation": "cpython", "interpreter": "CPython 3.99.0",
       "mode": "serial", "workers": 1, "result": \(resultJSON), "samples": [0.5, 0.4, 0.6],
       "runsPerSample": [1, 1, 1], "setupSeconds": 0.001, "note": "3 of 5 samples: --max-seconds 20"}
      """
  }

  /// A fake interpreter: exit 4 for Cython, 3 for sieve, else the JSON in answer.json beside it;
  /// asked which libraries are missing (`find_spec`), it names `missing`.
  static func fakeToolchain(in folder: URL, answer: String, missing: String = "") throws -> PythonToolchain {
    let script = folder.appendingPathComponent("fake-python")
    try """
      #!/bin/sh
      # $1 is the driver; the rest are rung.py's options.
      case "$*" in
        *"find_spec"*) echo "\(missing)"; exit 0 ;;
        *"--impl numba --mode threads"*) echo "rung.py: not applicable: numba nqueens --mode threads: only mandelbrot" >&2; exit 3 ;;
        *"--impl cython"*) echo "cy_nqueens is not built: pip install cython, then python3 bench/python/build_cython.py" >&2; exit 4 ;;
        *"--kernel sieve"*) echo "no python version of sieve" >&2; exit 3 ;;
        *"--kernel triad"*) echo "Traceback: boom" >&2; exit 1 ;;
      esac
      cat "$(dirname "$0")/answer.json"
      """.write(to: script, atomically: true, encoding: .utf8)
    try answer.write(to: folder.appendingPathComponent("answer.json"), atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    let driver = folder.appendingPathComponent("rung.py")
    try "".write(to: driver, atomically: true, encoding: .utf8)
    return PythonToolchain(python: script, pypy: script, driver: driver)
  }

  static func rungs(_ toolchain: PythonToolchain, kernels: [String]) -> InterpretedRungs {
    InterpretedRungs(
      kernels: kernels, sizes: Dictionary(uniqueKeysWithValues: kernels.map { ($0, Fixtures.Interpreter.nqueensSize) }),
      samples: 5, minTimeMilliseconds: 50, toolchain: toolchain, packageRoot: nil,
      progress: ProgressLine(enabled: false))
  }

  // MARK: - A missing interpreter

  @Test func interpreterNamedOnPathOrByVariable() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let python = folder.appendingPathComponent("python3")
    try "#!/bin/sh\n".write(to: python, atomically: true, encoding: .utf8)
    chmod(python.path, 0o755)
    let found = PythonToolchain.locate("python3", override: "X_PY", environment: ["PATH": "/nonexistent:\(folder.path)"])
    #expect(try found.get() == python)
    let empty = PythonToolchain.locate("python3", override: "X_PY", environment: ["PATH": "/nonexistent"])
    #expect(throws: PythonToolchain.Missing.self) { try empty.get() }
    let named = PythonToolchain.locate("pypy3", override: "X_PY", environment: ["X_PY": python.path, "PATH": ""])
    #expect(try named.get() == python)
  }

  @Test func ioBoundKernelsAreSkippedNotFailed() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // The fake driver would answer for nqueens: the latency cells must not get that far.
    let toolchain = try Self.fakeToolchain(in: folder, answer: try Self.driverJSON(Fixtures.Interpreter.nqueensAnswer))
    let cells = Self.rungs(toolchain, kernels: ["latency"]).run(verifyingAgainst: [])
    #expect(!cells.isEmpty)
    #expect(cells.allSatisfy { $0.skipped && !$0.failed })
    #expect(cells.allSatisfy { $0.verification.detail.contains("benchmark concurrency") })
  }

  // MARK: - The driver's protocol

  @Test func driverAnswersAndExitCodesBecomeCells() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let toolchain = try Self.fakeToolchain(in: folder, answer: try Self.driverJSON(Fixtures.Interpreter.nqueensAnswer))
    let rungs = Self.rungs(toolchain, kernels: ["nqueens", "sieve", "triad"])
    let size = Fixtures.Interpreter.nqueensSize

    let measured = rungs.measure(InterpretedID(kernel: "nqueens", implementation: .cpython), size: size, toolchain: toolchain)
    #expect(measured.interpreter == "CPython 3.99.0")
    #expect(measured.samples == [0.5, 0.4, 0.6] && measured.statistics?.median == 0.5)
    #expect(measured.result == Fixtures.Interpreter.nqueensAnswer)
    #expect(measured.notes == ["3 of 5 samples: --max-seconds 20", "noisy: CV 20.0% > 5.0%"])

    let cython = rungs.measure(InterpretedID(kernel: "nqueens", implementation: .cython), size: size, toolchain: toolchain)
    #expect(cython.skipped && !cython.failed)
    #expect(cython.verification.detail.contains("pip install cython"))

    let unported = rungs.measure(InterpretedID(kernel: "sieve", implementation: .cpython), size: size, toolchain: toolchain)
    #expect(unported.skipped && unported.verification.detail == "no python version of sieve")

    let broken = rungs.measure(InterpretedID(kernel: "triad", implementation: .cpython), size: size, toolchain: toolchain)
    #expect(broken.failed && broken.verification.detail == "rung.py exited with status 1: Traceback: boom")

    // The fake answers for nqueens whatever it is asked: an answer for another cell fails.
    let pypy = rungs.measure(InterpretedID(kernel: "nqueens", implementation: .pypy), size: size, toolchain: toolchain)
    #expect(pypy.failed && pypy.verification.detail.contains("answered for 'nqueens 8 cpython serial 1'"))
  }

  @Test func outputThatIsNotTheProtocolFails() {
    let id = InterpretedID(kernel: "nqueens", implementation: .cpython)
    for text in ["", "not json", #"{"kernel": "nqueens"}"#] {
      let output = ProcessOutput(status: 0, signalled: false, standardOutput: Data(text.utf8), standardError: "")
      let cell = InterpretedRungs.read(output, id: id, size: 8)
      #expect(cell.failed && cell.verification.detail.contains("not the protocol's JSON"))
    }
    let killed = ProcessOutput(status: 9, signalled: true, standardOutput: Data(), standardError: "")
    #expect(InterpretedRungs.read(killed, id: id, size: 8).failed)
  }

  // MARK: - NumPy and Numba

  @Test func notApplicableAndMissingLibraryAreSkipsNotFailures() {
    let id = InterpretedID(kernel: "binary-trees", implementation: .numba)
    func output(_ status: Int32, _ said: String) -> ProcessOutput {
      ProcessOutput(status: status, signalled: false, standardOutput: Data(), standardError: "some warning\n\(said)\n")
    }
    let why = "the kernel allocates one garbage-collected object per node"
    let na = InterpretedRungs.read(output(3, "rung.py: not applicable: numba binary-trees: \(why)"), id: id, size: 10)
    #expect(na.skipped && na.notApplicable && !na.failed)
    #expect(na.verification.detail == "not applicable: numba binary-trees: \(why)")
    let unported = InterpretedRungs.read(output(3, "rung.py: binary-trees has no numba version yet"), id: id, size: 10)
    #expect(unported.skipped && !unported.notApplicable)

    let hint = "numba not installed: pip install numba (add --break-system-packages if pip refuses)"
    let missing = InterpretedRungs.read(output(5, "rung.py: \(hint)"), id: id, size: 10)
    #expect(missing.skipped && !missing.notApplicable && !missing.failed)
    #expect(missing.verification.detail == hint)
    let quiet = ProcessOutput(status: 5, signalled: false, standardOutput: Data(), standardError: "")
    let silent = InterpretedRungs.read(quiet, id: InterpretedID(kernel: "triad", implementation: .numpy), size: 10)
    #expect(silent.skipped && silent.verification.detail == "numpy not installed: python3 -m pip install numpy")
    // Any other status is still a failure.
    #expect(InterpretedRungs.read(output(6, "rung.py: ?"), id: id, size: 10).failed)
  }

  @Test func numbaAnswerKeepsItsCompileTimeAndLibrary() throws {
    let id = InterpretedID(kernel: "nqueens", implementation: .numba, mode: .parallel, workers: 2)
    let resultJSON = String(decoding: try JSONEncoder().encode(Fixtures.Interpreter.nqueensAnswer), as: UTF8.self)
    let json = """
      {"kernel": "nqueens", "size": 8, "implementation": "numba", "interpreter": "CPython 3.99.0", "mode": "parallel",
       "workers": 2, "result": \(resultJSON), "samples": [0.01], "runsPerSample": [3], "setupSeconds": 0.75,
       "note": "JIT compile 0.7 s", "library": "Numba 0.99.0 (NumPy 9.0.0)", "compileSeconds": 0.7}
      """
    let cell = InterpretedRungs.parse(Data(json.utf8), id: id, size: 8)
    #expect(!cell.failed && cell.result == Fixtures.Interpreter.nqueensAnswer)
    #expect(cell.compileSeconds == 0.7 && cell.setupSeconds == 0.75 && cell.samples == [0.01])
    #expect(cell.ranOn == "Numba 0.99.0 (NumPy 9.0.0) on CPython 3.99.0")
    // Asked for the one-thread Numba cell, the same answer is for another cell.
    let serial = InterpretedRungs.parse(Data(json.utf8), id: InterpretedID(kernel: "nqueens", implementation: .numba), size: 8)
    #expect(serial.failed && serial.verification.detail.contains("answered for 'nqueens 8 numba parallel 2'"))
  }

  @Test func eachKernelGetsTheLibraryRungsAndOneLessonKernelTheNogilThreads() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let toolchain = try Self.fakeToolchain(in: folder, answer: try Self.driverJSON(Fixtures.Interpreter.nqueensAnswer))
    var rungs = Self.rungs(toolchain, kernels: ["sieve", "nqueens"])
    rungs.workers = 2
    let plan = rungs.plan()
    for kernel in ["sieve", "nqueens"] {
      #expect(plan.filter { $0.kernel == kernel && $0.isLadderRung }.map(\.rung)
        == [
          "cpython·1", "pypy·1", "cython·1", "mypyc·1", "numpy·1", "numba·1", "numba·parallel·2", "mojo·1",
          "mojo·parallel·2", "mojo-simd·1", "mojo-simd·parallel·2",
        ])
    }
    #expect(plan.filter { !$0.isLadderRung }.map(\.description)
      == ["nqueens/cpython/threads/2", "nqueens/cpython/processes/2", "nqueens/numba/threads/2"])
    #expect(Set(plan).count == plan.count)
    rungs.workers = 1
    #expect(rungs.plan().filter { $0.mode != .serial }.isEmpty)
    #expect(rungs.plan().count == 2 * Implementation.python.count)
  }

  @Test func aMissingLibrarySkipsItsRungsAndTheRunGoesOn() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let toolchain = try Self.fakeToolchain(in: folder, answer: try Self.driverJSON(Fixtures.Interpreter.nqueensAnswer), missing: "numba")
    var rungs = Self.rungs(toolchain, kernels: ["nqueens"])
    rungs.workers = 2
    let cells = rungs.run(verifyingAgainst: [Fixtures.Interpreter.swiftCell("nqueens", size: Fixtures.Interpreter.nqueensSize, Fixtures.Interpreter.nqueensAnswer)])
    let numba = cells.filter { $0.id.implementation == .numba }
    #expect(numba.count == 3 && numba.allSatisfy { $0.skipped && !$0.failed })
    #expect(numba.allSatisfy { $0.verification.detail.contains("numba is not installed for \(toolchain.python!.path)") })
    #expect(numba.allSatisfy { $0.verification.detail.contains("-m pip install numba") })
    // The fake answers as CPython; the NumPy cell still ran (and fails: the answer is for another cell).
    let cpython = try #require(cells.first { $0.id == InterpretedID(kernel: "nqueens", implementation: .cpython) })
    #expect(cpython.verification.passed)
    let numpy = try #require(cells.first { $0.id.implementation == .numpy })
    #expect(numpy.failed && numpy.verification.detail.contains("answered for 'nqueens 8 cpython serial 1'"))
  }

  // MARK: - Verification

  @Test func wrongInterpretedAnswerFails() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var wrong = Fixtures.Interpreter.nqueensAnswer
    wrong.checksum &+= 1
    let toolchain = try Self.fakeToolchain(in: folder, answer: try Self.driverJSON(wrong))
    let rungs = Self.rungs(toolchain, kernels: ["nqueens"])
    var cells = [rungs.measure(InterpretedID(kernel: "nqueens", implementation: .cpython), size: 8, toolchain: toolchain)]
    verifyInterpreted(&cells, against: [Fixtures.Interpreter.swiftCell("nqueens", size: 8, Fixtures.Interpreter.nqueensAnswer)])
    #expect(cells[0].verification.status == .mismatch)
    #expect(cells[0].verification.detail.contains("differs from the Swift cells"))

    var results = Fixtures.Results.sample([])
    results.interpreted = cells
    #expect(results.anyFailed)
    #expect(results.failedCells == ["nqueens/cpython/serial/1"])
    #expect(TextTable(results).text.contains("cpython·1                   FAIL  differs from the Swift cells"))
  }

  @Test func answerWithoutReferenceIsCheckedAgainstSwift() {
    // mandelbrot has a reference only at n = 200; at 37 only agreement is checked.
    let swift = Fixtures.Interpreter.swiftCell("mandelbrot", size: 37, KernelResult(text: "a", checksum: 1))
    var cells = [1, 2, 1].enumerated().map { index, checksum in
      InterpretedCell(
        id: InterpretedID(kernel: "mandelbrot", implementation: Implementation.allCases[index]), size: 37,
        runsPerSample: [1], samples: [1], result: KernelResult(text: "a", checksum: UInt64(checksum)),
        verification: CellVerification(.agreement, "not verified yet"))
    }
    verifyInterpreted(&cells, against: [swift])
    #expect(cells.map(\.verification.status) == [.agreement, .mismatch, .agreement])
    #expect(cells[0].verification.detail == "no reference at this size; agrees with the Swift cells")
  }

  // MARK: - The ladder

  /// `Fixtures.Interpreter.fullLadder` with NumPy 1 s, Numba 0.1 s, Numba parallel 0.05 s and Numba nogil threads 0.06 s.
  static func libraryLadder() -> RunResults {
    var results = Fixtures.Interpreter.fullLadder()
    let answer = results.interpreted![0].result
    func cell(_ implementation: Implementation, _ median: Double, mode: PythonMode = .serial) -> InterpretedCell {
      InterpretedCell(
        id: InterpretedID(kernel: "mandelbrot", implementation: implementation, mode: mode, workers: mode == .serial ? 1 : 2),
        interpreter: "CPython 3.99.0", size: 200, runsPerSample: [1], samples: [median], setupSeconds: 0.7,
        compileSeconds: implementation == .numba ? 0.6 : nil, library: "\(implementation.displayName) 9.9", result: answer,
        verification: CellVerification(.reference, "the reference"))
    }
    results.interpreted! += [
      cell(.numba, 0.05, mode: .parallel), cell(.numba, 0.06, mode: .threads), cell(.numpy, 1), cell(.numba, 0.1),
    ]
    return results
  }

  @Test func libraryRungsFollowCythonAndPrecedeSwift() throws {
    let results = Self.libraryLadder()
    let expected = ["cpython·1", "pypy·1", "cython·1", "numpy·1", "numba·1", "numba·parallel·2"]
    #expect(InterpretedTable(results).ladder(for: "mandelbrot").map(\.id.rung) == expected)
    let rows = TextTable(results).text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let positions = try (expected + ["debug·idiomatic·1"]).map { rung in
      try #require(rows.firstIndex { $0.hasPrefix(rung + " ") })
    }
    #expect(positions == Array(positions[0]...positions[0] + expected.count))
    // × over the previous rung and × over CPython; what ran it.
    #expect(rows[positions[3]].contains("0.50×    10.0×"))  // NumPy 1 s after Cython 0.5 s
    #expect(rows[positions[4]].contains("10.0×     100×"))
    #expect(rows[positions[5]].contains("2.00×     200×"))
    #expect(rows[positions[5]].contains("Numba 9.9 on CPython 3.99.0; ✓ reference"))
    let beside = CompoundingSummary(results).text
    #expect(beside.contains("NumPy            10.0×   CPython → NumPy arrays"))
    #expect(beside.contains("Numba             100×   CPython → @njit, one thread"))
    #expect(beside.contains("Numba parallel    200×   CPython → numba·parallel·2"))
    // The nogil threads sit beside the GIL-bound ones, over Numba's one thread.
    #expect(TextTable(results).text.contains("Numba nogil threads                 100 ms    60.0 ms     1.67×\n"))
    #expect(TextTable(results).text.contains("CPython threads                     10.0 s     10.0 s     1.00×\n"))

    let explained = Explanation(results).kernel("mandelbrot")
    let order = (expected + ["debug·idiomatic·1"]).map { explained.range(of: "  " + $0 + " ")?.lowerBound }
    #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    #expect(explained.contains("numpy·1                   1.00 s   10.0× over CPython"))
    #expect(explained.contains("numba·parallel·2         50.0 ms   200× over CPython"))
    #expect(explained.contains("prange over the same chunks"))
    #expect(!explained.contains("numba·threads"))
  }

  @Test func ladderReadsFromCPythonToAllCores() throws {
    let results = Fixtures.Interpreter.fullLadder()
    #expect(InterpretedTable(results).ladder(for: "mandelbrot").map(\.id.rung) == ["cpython·1", "pypy·1", "cython·1"])
    let table = TextTable(results).text
    let rungs = ["cpython·1", "pypy·1", "cython·1", "debug·idiomatic·1", "release·idiomatic·1", "release·unsafe·1", "release·c·1", "release·c·2"]
    let rows = table.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let positions = try rungs.map { rung in try #require(rows.firstIndex { $0.hasPrefix(rung + " ") }) }
    #expect(positions == positions.sorted())
    // × over the previous rung and × over CPython (the first rung).
    #expect(rows[positions[1]].contains("5.00×    5.00×"))
    #expect(rows[positions[3]].contains("0.50×    10.0×"))
    #expect(rows[positions[7]].contains("2.00×     400×"))

    let compounding = CompoundingSummary(results).text
    #expect(compounding.contains("40.0× overall from debug·idiomatic·1 to release·c·2"))
    #expect(compounding.contains("PyPy             5.00×   CPython → PyPy"))
    #expect(compounding.contains("Swift debug      10.0×   CPython → debug·idiomatic·1"))
    #expect(compounding.contains("all cores         400×   CPython → release·c·2"))

    // Threads vs processes beside the Swift threads.
    #expect(table.contains("CPython threads                     10.0 s     10.0 s     1.00×\n"))
    #expect(table.contains("CPython processes                   10.0 s     10.0 s     1.00×   50.0 ms\n"))
    #expect(!table.contains("Swift release·unsafe threads"))  // no 2-thread cell to compare with
    #expect(table.contains("Swift release·c threads            50.0 ms    25.0 ms     2.00×\n"))
  }

  @Test func everyFormatCarriesTheInterpretedCells() throws {
    let results = Fixtures.Interpreter.fullLadder()
    let decoded = try RunResults.decode(try results.json())
    #expect(decoded == results)
    // NumPy, Numba, the parallel mode, compile seconds and the library survive the round trip.
    let libraries = Self.libraryLadder()
    let json = String(decoding: try libraries.json(), as: UTF8.self)
    for field in [#""implementation":"numba""#, #""implementation":"numpy""#, #""mode":"parallel""#, #""compileSeconds":0.6"#] {
      #expect(json.replacingOccurrences(of: " ", with: "").contains(field), "\(field)")
    }
    #expect(try RunResults.decode(Data(json.utf8)) == libraries)
    #expect(CSVReport(libraries).text.contains("\nmandelbrot,200,numba,python-parallel,2,ok,0.05,"))
    let csv = CSVReport(results).text
    #expect(csv.contains("\nmandelbrot,200,cpython,python,1,ok,10.0,"))
    #expect(csv.contains("\nmandelbrot,200,cpython,python-processes,2,ok,10.0,"))
    let markdown = MarkdownReport(results).text
    #expect(markdown.contains("| **cpython·1** | 10.0 s | — | 1.00× |"))
    #expect(markdown.contains("| CPython processes | 10.0 s | 10.0 s | 1.00× | 50.0 ms |"))
    // A file written before the interpreted rungs existed still reads.
    var old = Fixtures.Results.sample([Fixtures.Results.cell(.c, .release, median: 0.05)])
    let oldJSON = try old.json()
    #expect(!String(decoding: oldJSON, as: UTF8.self).contains("interpreted"))
    old.interpreted = nil
    #expect(try RunResults.decode(oldJSON) == old)
  }
}
