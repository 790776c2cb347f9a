// Fixtures the harness and end-to-end tests share: results, cells, gates files
// and requests built here, with no timing. Each namespace is named after the
// suite that first needed it.

import Foundation
import KernelKit
import Kernels
import MachineLimits
import MeasurementKit
import Workers

package enum Fixtures {
  /// A `Provenance` with these facts. Its memberwise initialiser is internal to
  /// MeasurementKit; its `Codable` form is not, so the facts travel through JSON
  /// (every field round-trips exactly: a results file does the same).
  package static func provenance(
    cpu: String, cpuVectorFeatures: [String]? = nil, cores: Int, memoryGiB: Double, os: String,
    swiftVersion: String, builds: [BuildInfo], gitCommit: String?, gitDirty: Bool?, date: String
  ) -> Provenance {
    struct Facts: Encodable {
      var cpu: String
      var cpuVectorFeatures: [String]?
      var cores: Int
      var memoryGiB: Double
      var os: String
      var swiftVersion: String
      var builds: [BuildInfo]
      var gitCommit: String?
      var gitDirty: Bool?
      var date: String
    }
    let facts = Facts(
      cpu: cpu, cpuVectorFeatures: cpuVectorFeatures, cores: cores, memoryGiB: memoryGiB, os: os,
      swiftVersion: swiftVersion, builds: builds, gitCommit: gitCommit, gitDirty: gitDirty, date: date)
    do {
      return try JSONDecoder().decode(Provenance.self, from: JSONEncoder().encode(facts))
    } catch {
      preconditionFailure("a provenance's facts do not decode: \(error)")
    }
  }
}

// MARK: - Results

extension Fixtures {
  /// One mandelbrot cell per rung and a tiny run around cells (from `ResultsTests`).
  package enum Results {
    package static func cell(
      _ flavour: Flavour, _ build: Build, threads: Int = 1, median: Double, checksum: UInt64 = 7
    ) -> CellResult {
      CellResult(
        id: CellID(kernel: "mandelbrot", flavour: flavour, build: build, threads: threads), size: 200,
        runsPerSample: 3, samples: [median, median * 1.01, median * 0.99], cpuSamples: [median, median, median],
        statistics: SampleStatistics([median, median * 1.01, median * 0.99]), setupSeconds: 0.001,
        result: KernelResult(text: "x \(checksum)", checksum: checksum, values: [1.5]),
        verification: CellVerification(.agreement, "no reference at this size"), notes: [])
    }

    package static func sample(_ cells: [CellResult]) -> RunResults {
      RunResults(
        settings: RunSettings(size: "tiny", minTimeMilliseconds: 50, samples: 3, threads: [1, 2]),
        provenance: Fixtures.provenance(
          cpu: "Test CPU", cores: 2, memoryGiB: 4, os: "TestOS", swiftVersion: "6.3.1",
          builds: [.current], gitCommit: "abc", gitDirty: false, date: "2026-01-01T00:00:00Z"),
        cells: cells)
    }
  }
}

// MARK: - Explain

extension Fixtures {
  /// A whole mandelbrot ladder (from `ExplainTests`; `ResultsTests` compounds it too).
  package enum Explain {
    /// A complete mandelbrot ladder with round numbers: 10× · 1.25× · 1.6× · 1× · 2×.
    package static let results = Fixtures.Results.sample([
      Fixtures.Results.cell(.idiomatic, .debug, median: 1.0),
      Fixtures.Results.cell(.idiomatic, .release, median: 0.1),
      Fixtures.Results.cell(.span, .release, median: 0.08),
      Fixtures.Results.cell(.unsafe, .release, median: 0.05),
      Fixtures.Results.cell(.c, .release, median: 0.05),
      Fixtures.Results.cell(.c, .release, threads: 2, median: 0.025),
    ])
  }
}

// MARK: - InputValidation

extension Fixtures {
  /// The fuzz corpus's files, `Tests/Corpus` (from `InputValidationTests`).
  package enum InputValidation {
    package static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Corpus")

    package static func corpusFile(_ target: String, _ name: String) -> String {
      corpus.appendingPathComponent(target).appendingPathComponent(name).path
    }
  }
}

// MARK: - Report

extension Fixtures {
  /// Two kernels on every build, flavour and thread count, for the report's charts (from `ReportTests`).
  package enum Report {
    package static let kernels = ["mandelbrot", "nbody"]

    /// A cell with a chosen median; CPU time a little above elapsed × threads.
    package static func cell(_ kernel: String, _ build: Build, _ flavour: Flavour, _ threads: Int, median: Double) -> CellResult {
      let samples = [median * 0.98, median, median * 1.03]
      let cpu = samples.map { $0 * Double(threads) * 1.05 }
      return CellResult(
        id: CellID(kernel: kernel, flavour: flavour, build: build, threads: threads), size: 100, runsPerSample: 2,
        samples: samples, cpuSamples: cpu, statistics: SampleStatistics(samples), setupSeconds: 0,
        result: KernelResult(text: "ok", checksum: 1, values: []),
        verification: CellVerification(.agreement, "agrees"), notes: [])
    }

    /// Every cell of two kernels on 1…4 threads, with speed-ups that differ by
    /// build, flavour, kernel and thread count (Amdahl with s = 0.1 up to 2 cores).
    package static func full(threads: [Int] = [1, 2, 3, 4], builds: [Build] = Build.allCases) -> RunResults {
      var cells: [CellResult] = []
      for (k, kernel) in kernels.enumerated() {
        for build in builds {
          for (f, flavour) in Flavour.allCases.enumerated() {
            for n in threads {
              let base = (build == .debug ? 1.3 : 0.017) * Double(k + 1) / Double(f + 1)
              // `AmdahlFit(serialFraction: 0.1, cores: 2).speedup(threads:)`, written out (the fit is Reports' own).
              let s = 0.1
              let parallel = 1 / (s + (1 - s) / min(Double(n), 2))
              cells.append(cell(kernel, build, flavour, n, median: base / parallel))
            }
          }
        }
      }
      return results(cells, threads: threads)
    }

    package static func results(_ cells: [CellResult], threads: [Int]) -> RunResults {
      RunResults(
        settings: RunSettings(size: "tiny", minTimeMilliseconds: 5, samples: 3, threads: threads),
        provenance: Fixtures.provenance(
          cpu: "Test CPU", cores: 2, memoryGiB: 4, os: "TestOS", swiftVersion: "Swift 6.3.1",
          builds: [.current], gitCommit: "0123456789ab", gitDirty: false, date: "2026-01-01T00:00:00Z"),
        cells: cells)
    }
  }
}

// MARK: - Compare

extension Fixtures {
  /// Cells with given samples and the old and new runs `compare` reads (from `CompareTests`).
  package enum Compare {
    package static func cell(_ kernel: String, _ samples: [Double], size: Int = 200) -> CellResult {
      var cell = Fixtures.Results.cell(.c, .release, median: samples[0])
      cell.id.kernel = kernel
      cell.size = size
      cell.samples = samples
      cell.cpuSamples = samples
      cell.statistics = SampleStatistics(samples)
      return cell
    }

    package static let steady = [1.0, 1.01, 0.99, 1.0, 1.0]
    package static func scaled(_ factor: Double) -> [Double] { steady.map { $0 * factor } }

    /// Old and new runs: mandelbrot 20% faster, nqueens 30% slower, sieve the
    /// same but for 1%, nbody only in old, triad only in new.
    package static func fixtures() -> (old: RunResults, new: RunResults) {
      let old = Fixtures.Results.sample([
        cell("mandelbrot", steady), cell("nqueens", steady), cell("sieve", steady), cell("nbody", steady),
      ])
      let new = Fixtures.Results.sample([
        cell("mandelbrot", scaled(0.8)), cell("nqueens", scaled(1.3)), cell("sieve", scaled(1.01)),
        cell("triad", steady),
      ])
      return (old, new)
    }
  }
}

// MARK: - Gate

extension Fixtures {
  /// Gates files, cells with given samples, a provenance and a baseline from another machine (from `GateTests`).
  package enum Gate {
    package static func gateFile(_ gates: String, top: String = "") -> Data {
      Data("{ \(top) \"gates\": [\(gates)] }".utf8)
    }

    package static func cell(_ flavour: Flavour, threads: Int = 1, _ samples: [Double], preemptions: Double? = 0) -> CellResult {
      var cell = Fixtures.Results.cell(flavour, .release, threads: threads, median: 1)
      cell.samples = samples
      cell.cpuSamples = samples
      cell.statistics = SampleStatistics(samples)
      cell.preemptionsPerSecond = preemptions
      return cell
    }

    package static let here = Fixtures.provenance(
      cpu: "AMD EPYC", cores: 2, memoryGiB: 8, os: "Linux", swiftVersion: "6.3.1", builds: [.current],
      gitCommit: nil, gitDirty: nil, date: "2026-01-01T00:00:00Z")

    /// Writes a baseline measured "elsewhere" and a one-gate file into `folder`.
    package static func baselineFixture(_ folder: URL, cpu: String) throws -> (gates: String, baseline: String) {
      let id = CellID(kernel: "mandelbrot", flavour: .c, build: .current, threads: 1)
      var cell = Fixtures.Results.cell(.c, .current, median: 0.001)
      cell.id = id
      cell.size = 200
      var provenance = Provenance.here(packageRoot: nil)
      provenance.cpu = cpu
      provenance.builds = [.current]
      let results = RunResults(
        settings: RunSettings(size: "tiny", minTimeMilliseconds: 2, samples: 3, threads: [1]), provenance: provenance,
        cells: [cell])
      let baseline = folder.appendingPathComponent("baseline.json").path
      try results.json().write(to: URL(fileURLWithPath: baseline))
      let gates = folder.appendingPathComponent("gates.json").path
      let text = #"{ "size": "tiny", "minTimeMilliseconds": 2, "samples": 3, "remeasure": 0, "gates": [ { "name": "b", "kernels": ["mandelbrot"], "baseline": "\#(Build.current.rawValue)·c·1", "atMost": 1000 } ] }"#
      try Data(text.utf8).write(to: URL(fileURLWithPath: gates))
      return (gates, baseline)
    }
  }
}

// MARK: - GateBaselineAdvice

extension Fixtures {
  /// A gates file whose baseline gates need cells of four kernels (from `GateBaselineAdviceTests`).
  package enum GateBaselineAdvice {
    package static let build = Build.current.rawValue
    package static let gates = #"""
      { "size": "tiny", "minTimeMilliseconds": 2, "samples": 3, "remeasure": 0, "gates": [
        { "name": "b", "kernels": ["mandelbrot", "nqueens"], "baseline": "\#(build)·c·1", "atMost": 1000 },
        { "name": "g", "kernels": ["sieve"], "combine": "geomean", "baseline": "\#(build)·unsafe·1", "atMost": 1000 },
        { "name": "r", "kernels": ["triad"], "ratio": "\#(build)·unsafe·1 / \#(build)·c·1", "atMost": 1000 } ] }
      """#
  }
}

// MARK: - NativeBuild

extension Fixtures {
  /// Machine limits and cells to read against them (from `NativeBuildTests`).
  package enum NativeBuild {
    package static let limits = MachineLimits(
      peakGFLOPSPerCore: 10, vectorBytes: 16, fma: false, bandwidthGBps1Thread: 20, bandwidthGBpsAllThreads: 30,
      threads: 2, bytesPerArray: 1 << 27, seconds: 1)

    package static func cell(_ kernel: String, _ flavour: Flavour, _ build: Build, threads: Int = 1, size: Int, median: Double)
      -> CellResult
    {
      // Samples given, not timed: the "clock" of this test reads exactly `median`.
      CellResult(
        id: CellID(kernel: kernel, flavour: flavour, build: build, threads: threads), size: size, runsPerSample: 1,
        samples: [median, median, median], cpuSamples: [median, median, median],
        statistics: SampleStatistics([median, median, median]), setupSeconds: 0,
        result: KernelResult(text: "x", checksum: 1), verification: CellVerification(.agreement, "agree"), notes: [])
    }

    package static func results(_ cells: [CellResult], limits: MachineLimits? = limits) -> RunResults {
      var release = BuildInfo.current
      release.build = .release
      release.limits = limits
      return RunResults(
        settings: RunSettings(size: "tiny", minTimeMilliseconds: 1, samples: 3, threads: [1, 2]),
        provenance: Fixtures.provenance(
          cpu: "Test CPU", cpuVectorFeatures: ["sse2", "avx2"], cores: 2, memoryGiB: 4, os: "TestOS",
          swiftVersion: "6.3.1", builds: [release], gitCommit: nil, gitDirty: nil, date: "2026-01-01T00:00:00Z"),
        cells: cells)
    }
  }
}

// MARK: - Interpreter

extension Fixtures {
  /// nqueens' answer, a Swift cell holding an answer, and a ladder with every Python rung (from `InterpreterTests`).
  package enum Interpreter {
    /// nqueens at its tiny size, computed here by the C flavour: what a correct port must answer.
    package static let nqueensSize = 8
    package static let nqueensAnswer: KernelResult = {
      let workload = kernel(named: "nqueens")!.makeWorkload(.c, size: nqueensSize)
      workload.run(on: SequentialExecutor())
      return workload.result()
    }()

    package static func swiftCell(_ kernel: String, size: Int, _ result: KernelResult, median: Double = 0.01) -> CellResult {
      CellResult(
        id: CellID(kernel: kernel, flavour: .c, build: .release, threads: 1), size: size, runsPerSample: 1,
        samples: [median], cpuSamples: [median], statistics: SampleStatistics([median]), setupSeconds: 0,
        result: result, verification: CellVerification(.agreement, "agrees"), notes: [])
    }

    /// A run with every rung of mandelbrot: CPython 10 s … release C on 2 threads 5 ms.
    package static func fullLadder() -> RunResults {
      var results = Fixtures.Results.sample([
        Fixtures.Results.cell(.idiomatic, .debug, median: 1.0),
        Fixtures.Results.cell(.idiomatic, .release, median: 0.1),
        Fixtures.Results.cell(.unsafe, .release, median: 0.05),
        Fixtures.Results.cell(.c, .release, median: 0.05),
        Fixtures.Results.cell(.c, .release, threads: 2, median: 0.025),
      ])
      let answer = KernelResult(text: "x 7", checksum: 7, values: [1.5])
      func python(_ implementation: Implementation, _ median: Double, mode: PythonMode = .serial) -> InterpretedCell {
        InterpretedCell(
          id: InterpretedID(kernel: "mandelbrot", implementation: implementation, mode: mode, workers: mode == .serial ? 1 : 2),
          interpreter: implementation.displayName, size: 200, runsPerSample: [1], samples: [median],
          startupSeconds: mode == .processes ? 0.05 : nil, result: answer,
          verification: CellVerification(.agreement, "agrees with the Swift cells"))
      }
      // Out of order on purpose: the ladder orders them.
      results.interpreted = [
        python(.cython, 0.5), python(.cpython, 10, mode: .processes), python(.pypy, 2), python(.cpython, 10),
        python(.cpython, 10, mode: .threads),
      ]
      return results
    }
  }
}

// MARK: - CommandLines

extension Fixtures {
  /// Bad command lines with their messages, and the options a help page lists (from `CommandLineTests`).
  package enum CommandLines {
    /// Each bad input, and a word its one-line message must contain.
    package static let badInputs: [([String], String)] = [
      (["frobnicate"], "unknown subcommand 'frobnicate'; valid subcommands: run, list, "),
      (["--kernels", "nope"], "unknown kernel 'nope'; valid kernels: mandelbrot"),
      (["--flavours", "rust"], "unknown flavour 'rust'; valid flavours: idiomatic, span, unsafe, c"),
      (["--builds", "fast"], "unknown build 'fast'; valid builds: debug, release"),
      (["--colour"], "unknown option '--colour'"),
      (["--kernels"], "option '--kernels' needs a value"),
      (["--threads", "0"], "--threads: 0 is out of range"),
      (["--threads", "-2"], "--threads: -2 is out of range"),
      (["--threads", "100000"], "--threads: 100000 is out of range"),
      (["--threads", "two"], "--threads: 'two' is not a thread count"),
      (["--threads", "1,,2"], "without empty items"),
      (["--size", "big"], "--size: 'big' is not a size"),
      (["--size", "0"], "--size: 0 must be positive"),
      (["--kernels", "mandelbrot", "--size", "3"], "mandelbrot cannot take size 3"),
      (["--min-time", "-5"], "--min-time"),
      (["--samples", "0"], "--samples: '0' is not a count"),
      (["--format", "xml"], "unknown format 'xml'; valid formats: table, json, csv, markdown"),
      (["--output", "/nonexistent-folder/x.json"], "folder '/nonexistent-folder' does not exist"),
      (["--output", "/tmp"], "'/tmp' is a folder"),
      (["--size", "3000"], "a bare number is the size of every selected kernel (here \(RunPlan().kernels.count))"),
      (["--kernels", "mandelbrot,nqueens", "--size", "300"], "or give per-kernel sizes such as --size mandelbrot=1000,nqueens=12"),
      (["--size", "mandlebrot=300"], "--size: unknown kernel 'mandlebrot'"),
      (["--kernels", "mandelbrot", "--size", "sieve=1000"], "sieve is not measured (kernels: mandelbrot)"),
      (["--size", "sieve=1000,sieve=2000"], "--size: sieve is given two sizes"),
      (["--size", "tiny,quick"], "gives two sizes for every kernel"),
      (["--size", "sieve=0"], "--size: 0 must be positive"),
      (["--kernels", "mandelbrot,sieve", "--size", "tiny,mandelbrot=3"], "mandelbrot cannot take size 3"),
      (["--min-time", "0"], "use milliseconds more than 0 and at most 60000"),
      (["--time-limit", "0"], "use seconds more than 0 and at most 86400"),
      (["--samples", "3", "--samples=4"], "option '--samples' is given twice; give it once"),
      (["--gil", "--gil"], "option '--gil' is given twice"),
      (["gate", "--strict", "--strict"], "option '--strict' is given twice"),
      (["explain", "--size", "tiny", "--size", "quick"], "option '--size' is given twice"),
      (["list", "extra"], "'list' takes no arguments"),
      (["run", "stray"], "unexpected argument 'stray'"),
    ]

    /// The options as a page lists them: the first word of each entry line.
    package static func listedOptions(_ page: String) -> [String] {
      page.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("  --") else { return nil }
        return String(line.dropFirst(2).prefix { $0 != " " })
      }.filter { $0 != "--help" && $0 != "--version" }
    }
  }
}

// MARK: - Backends

extension Fixtures {
  /// The kernels every backend runs and their serial answers (from `BackendTests`).
  package enum Backends {
    package static let kernels = ["mandelbrot", "fannkuch-redux", "nqueens", "sieve", "binary-trees", "latency"]

    package static func serial(_ name: String, _ flavour: Flavour) -> KernelResult {
      let workload = kernel(named: name)!.makeWorkload(flavour, size: kernel(named: name)!.sizes.tiny)
      workload.run(on: SequentialExecutor())
      return workload.result()
    }
  }
}

// MARK: - WorkerRequests

extension Fixtures {
  /// Malformed worker requests and a valid measure request as text (from `WorkerProtocolTests`).
  package enum WorkerRequests {
    /// Malformed requests and a word of what each is told, for the in-process
    /// reader (WorkerProtocolTests) and for the binaries (WorkerBinaryTests).
    package static let malformed: [(String, String)] = [
      ("", "no request on standard input"),
      ("{not json", "not valid JSON"),
      ("[1]\n", "bad request"),
      ("{}", "one job"),
      (#"{"chunks":{"kernel":"nosuch","flavour":"c","size":8,"worker":0,"of":1}}"#, "unknown kernel 'nosuch'"),
      (#"{"chunks":{"kernel":"nqueens","flavour":"fast","size":8,"worker":0,"of":1}}"#, "flavour"),
      (#"{"chunks":{"kernel":"nqueens","flavour":"c","size":-8,"worker":0,"of":1}}"#, "nqueens cannot take size -8"),
      (#"{"chunks":{"kernel":"nqueens","flavour":"c","size":8,"worker":2,"of":2}}"#, "worker must be in 0..<of"),
      (Self.measureText(kernels: #"[{"kernel":"mandelbrot","size":-1}]"#), "mandelbrot cannot take size -1"),
      (Self.measureText(kernels: #"[{"kernel":"m\ndelbrot","size":64}]"#), "unknown kernel 'm\\ndelbrot'"),
      (Self.measureText(kernels: #"[{"kernel":"nqueens","size":6},{"kernel":"nqueens","size":6}]"#), "given twice"),
      (Self.measureText(threads: "[0]"), "above 0"),
      (#"{"blas":{"path":"x","n":0,"threads":[1],"samples":1,"minTimeMilliseconds":1}}"#, "n in 1...4096"),
      (#"{"blas":{},"chunks":{}}"#, "one job"),
      (Self.measureText() + "\n" + Self.measureText(), "more than one line"),
    ]

    /// A measure request as text, valid unless `kernels` or `threads` say otherwise.
    package static func measureText(kernels: String = #"[{"kernel":"nqueens","size":6}]"#, threads: String = "[1]") -> String {
      #"{"measure":{"kernels":\#(kernels),"flavours":["c"],"builds":["debug"],"threads":\#(threads),"#
        + #""minTimeMilliseconds":1,"samples":1,"backend":"threads","gil":false,"timeLimitSeconds":120,"#
        + #""slowdowns":[],"injections":[],"excluded":[]}}"#
    }
  }
}
