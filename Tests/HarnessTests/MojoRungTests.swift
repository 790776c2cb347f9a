// The Mojo rungs' driver: a missing `mojo` (one skip line, the run goes on), a
// build that fails (the compiler's first error line; the run goes on), a wrong
// answer (a failed rung), and where the Mojo cells stand on the ladder. The
// ports themselves are checked against the references by
// bench/python/test_mojo.py, which .ci/run runs.

import Foundation
import TestSupport
import Testing
import KernelKit
import Kernels
@testable import Interpreters
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports

@Suite("Mojo rungs")
struct MojoRungTests {
  // MARK: - Fixtures

  /// The driver's JSON for a Mojo nqueens cell answering `result`.
  static func mojoJSON(_ result: KernelResult, implementation: String = "mojo") throws -> String {
    let resultJSON = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
    return """
      {"kernel": "nqueens", "size": 8, "implementation": "\(implementation)", "interpreter": "Mojo 1.2.0 (2016d0cd)",
       "mode": "serial", "workers": 1, "result": \(resultJSON), "samples": [0.001, 0.001, 0.002],
       "runsPerSample": [40, 40, 40], "setupSeconds": 0.0001, "note": "one thread"}
      """
  }

  /// A package root holding an (empty) bench/python/build_mojo.py, and a fake
  /// python3 in it: run with build_mojo.py it prints `buildStderr` and exits
  /// `buildStatus`; asked for a Mojo nbody cell it answers exit 4 with the
  /// not-built line rung.py gives; any other cell gets answer.json.
  static func fakePackage(
    in folder: URL, answer: String, buildStatus: Int = 0, buildStderr: String = ""
  ) throws -> (toolchain: PythonToolchain, root: URL) {
    let python = folder.appendingPathComponent("bench/python")
    try FileManager.default.createDirectory(at: python, withIntermediateDirectories: true)
    try "".write(to: python.appendingPathComponent("build_mojo.py"), atomically: true, encoding: .utf8)
    try "".write(to: python.appendingPathComponent("rung.py"), atomically: true, encoding: .utf8)
    try answer.write(to: folder.appendingPathComponent("answer.json"), atomically: true, encoding: .utf8)
    try buildStderr.write(to: folder.appendingPathComponent("build-stderr"), atomically: true, encoding: .utf8)
    let script = folder.appendingPathComponent("fake-python")
    try """
      #!/bin/sh
      here="$(dirname "$0")"
      case "$*" in
        *build_mojo.py*) cat "$here/build-stderr" >&2; echo "built 6 Mojo ports with Mojo 1.2.0 (fake) in 1.5 s"; exit \(buildStatus) ;;
        *"--kernel nbody"*"--impl mojo"*) echo "rung.py: the Mojo port of nbody did not build: bench/mojo/nbody.mojo:12:5: error: use of unknown declaration 'sqrtt'" >&2; exit 4 ;;
        *"find_spec"*) exit 0 ;;
        *" -c "*|"-c "*) exit 1 ;;
      esac
      cat "$here/answer.json"
      """.write(to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    let mojo = folder.appendingPathComponent("mojo")
    try "#!/bin/sh\nexit 0\n".write(to: mojo, atomically: true, encoding: .utf8)
    chmod(mojo.path, 0o755)
    var toolchain = PythonToolchain(python: script, pypy: script, mojo: mojo, driver: python.appendingPathComponent("rung.py"))
    // Only the Mojo rungs are under test: the others are skipped like a machine without them.
    for implementation in Implementation.allCases where implementation != .mojo && implementation != .mojoSIMD {
      toolchain.unavailable[implementation] = "not under test"
    }
    return (toolchain, folder)
  }

  static func rungs(_ toolchain: PythonToolchain, root: URL?, kernels: [String], workers: Int = 2) -> InterpretedRungs {
    InterpretedRungs(
      kernels: kernels, sizes: Dictionary(uniqueKeysWithValues: kernels.map { ($0, 8) }), samples: 3,
      minTimeMilliseconds: 50, workers: workers, toolchain: toolchain, packageRoot: root,
      progress: ProgressLine(enabled: false))
  }

  // MARK: - A missing toolchain

  @Test func missingMojoIsOneSkipLineSayingHowToInstallIt() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let python = folder.appendingPathComponent("python3")
    try "#!/bin/sh\n".write(to: python, atomically: true, encoding: .utf8)
    chmod(python.path, 0o755)
    let found = PythonToolchain.find(
      packageRoot: nil,
      environment: ["PATH": folder.path, "SPEEDLADDER_MOJO": "/nonexistent/mojo"])
    let why = try #require(found.unavailable[.mojo])
    #expect(why.contains("SPEEDLADDER_MOJO=/nonexistent/mojo is not an executable"))
    #expect(why.contains("pip install mojo==1.2.0"))
    #expect(found.unavailable[.mojoSIMD] == why)
    // Not on PATH either: the same advice.
    let absent = PythonToolchain.find(packageRoot: nil, environment: ["PATH": folder.path])
    #expect(absent.unavailable[.mojo]?.contains("mojo not found on PATH: no Mojo rungs (pip install mojo==1.2.0") == true)
  }

  // MARK: - A failed build

  @Test func aPortThatDoesNotBuildIsSkippedWithTheCompilersFirstErrorLine() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let answer = try Self.mojoJSON(Fixtures.Interpreter.nqueensAnswer)
    let (toolchain, root) = try Self.fakePackage(
      in: folder, answer: answer,
      buildStderr: "build_mojo.py: not built: nbody: bench/mojo/nbody.mojo:12:5: error: use of unknown declaration 'sqrtt'\n")
    let rungs = Self.rungs(toolchain, root: root, kernels: ["nbody", "nqueens"]).prepared()
    #expect(rungs.toolchain.buildNotes[.mojo]?.contains("compiled once a run by build_mojo.py in 1.5 s") == true)
    let cells = rungs.run(verifyingAgainst: [])
    let nbody = cells.filter { $0.id.kernel == "nbody" && $0.id.implementation == .mojo }
    #expect(nbody.count == 2 && nbody.allSatisfy { $0.skipped && !$0.failed })
    #expect(nbody.allSatisfy { $0.verification.detail.contains("nbody.mojo:12:5: error: use of unknown declaration 'sqrtt'") })
    // The run went on: nqueens's Mojo cell ran and passed (its answer is the C flavour's).
    let nqueens = try #require(cells.first { $0.id == InterpretedID(kernel: "nqueens", implementation: .mojo) })
    #expect(nqueens.verification.passed)
    #expect(nqueens.ranOn == "Mojo 1.2.0 (2016d0cd)")
    #expect(nqueens.notes.contains { $0.contains("build_mojo.py in 1.5 s") })
  }

  @Test func aBuildThatFailsAltogetherSkipsEveryMojoRung() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (toolchain, root) = try Self.fakePackage(
      in: folder, answer: try Self.mojoJSON(Fixtures.Interpreter.nqueensAnswer), buildStatus: 1,
      buildStderr: "build_mojo.py: no Mojo port built with Mojo 9.0.0 (newer)\n")
    let cells = Self.rungs(toolchain, root: root, kernels: ["nqueens"]).run(verifyingAgainst: [])
    let mojo = cells.filter { $0.id.implementation == .mojo || $0.id.implementation == .mojoSIMD }
    #expect(mojo.count == 4 && mojo.allSatisfy { $0.skipped && !$0.failed })
    #expect(mojo.allSatisfy {
      $0.verification.detail == "the Mojo ports did not build (build_mojo.py: no Mojo port built with Mojo 9.0.0 (newer)): no Mojo rungs"
    })
  }

  // MARK: - Answers

  @Test func aWrongMojoAnswerFailsLoudly() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var wrong = Fixtures.Interpreter.nqueensAnswer
    wrong.text = "solutions 93"
    wrong.checksum &+= 1
    let (toolchain, root) = try Self.fakePackage(in: folder, answer: try Self.mojoJSON(wrong))
    let cells = Self.rungs(toolchain, root: root, kernels: ["nqueens"]).run(
      verifyingAgainst: [Fixtures.Interpreter.swiftCell("nqueens", size: 8, Fixtures.Interpreter.nqueensAnswer)])
    let mojo = try #require(cells.first { $0.id == InterpretedID(kernel: "nqueens", implementation: .mojo) })
    #expect(mojo.failed && mojo.verification.status == .mismatch)
    var results = Fixtures.Results.sample([])
    results.interpreted = cells
    #expect(results.anyFailed)
    #expect(results.failedCells.contains("nqueens/mojo/serial/1"))
  }

  // MARK: - The ladder

  @Test func mojoRungsFollowNumbaOneThreadThenAllCores() {
    let toolchain = PythonToolchain()
    let plan = Self.rungs(toolchain, root: nil, kernels: ["mandelbrot"]).plan().filter(\.isLadderRung).map(\.rung)
    #expect(plan.suffix(6) == [
      "numba·1", "numba·parallel·2", "mojo·1", "mojo·parallel·2", "mojo-simd·1", "mojo-simd·parallel·2",
    ])
    #expect(Implementation.mojoSIMD.driverImpl == "mojo-simd" && Implementation.mojo.displayName == "Mojo")
  }
}
