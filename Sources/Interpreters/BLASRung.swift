// matmul's tuned-library rung: a BLAS's dgemm, run in a worker process and
// checked like every cell.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import WorkerProtocol

/// The lesson beside matmul's ladder: for dense linear algebra the fastest
/// rung is a library, the same one NumPy calls, callable from Swift; and a
/// library that misdetects the CPU runs its slow kernels.
///
/// The library is found at run time (`BLASLocator`), never linked, and runs
/// in a worker process (`WorkerRequest.blas`): a library that crashes or
/// hangs costs this rung only. Its C is checked against matmul's exact answer
/// (the Swift cells' consensus) like a Python rung: a wrong answer fails the
/// rung loudly and leaves the Swift cells alone.
package struct BLASRung {
  /// The kernel the rung belongs to.
  package static let kernel = "matmul"

  /// `--blas` as given (a path, or `off`), nil to search.
  package var request: String?
  package var size: Int
  /// The worker binary (`benchmark-worker`, or `benchmark` itself).
  package var binary: URL
  /// Thread counts: 1 and the run's top count.
  package var threads: [Int]
  package var samples: Int
  package var minTimeMilliseconds: Double
  package var environment: [String: String] = ProcessInfo.processInfo.environment
  /// Where to search when nothing names a library; nil: `BLASLocator.candidates`.
  package var candidates: [String]? = nil

  package init(request: String?, size: Int, binary: URL, threads: [Int], samples: Int, minTimeMilliseconds: Double) {
    self.request = request
    self.size = size
    self.binary = binary
    self.threads = threads
    self.samples = samples
    self.minTimeMilliseconds = minTimeMilliseconds
  }

  /// The cell ids, one per thread count: `blas·1` and `blas·parallel·N`.
  func id(threads: Int) -> InterpretedID {
    InterpretedID(kernel: Self.kernel, implementation: .blas, mode: threads == 1 ? .serial : .parallel, workers: threads)
  }

  /// What names the library: `--blas`, else SPEEDLADDER_BLAS when set (a
  /// path, or `off`); nil to search.
  var named: String? {
    request ?? environment[BLASLocator.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The library to use: the one named, or the first candidate found.
  func library() -> String? {
    named ?? candidates.map(\.first) ?? BLASLocator.firstCandidate(environment: environment)
  }

  /// Measures and verifies the rung against `swift` (matmul's cells, already
  /// cross-verified). Empty when the rung is off; a skipped cell with the
  /// install line when no library is found; failed cells when the worker
  /// breaks or the answer is wrong.
  package func run(verifyingAgainst swift: [CellResult]) -> [InterpretedCell] {
    if named == "off" { return [] }
    guard let path = library() else {
      return [.skipped(id(threads: 1), size: size, BLASLocator.installHint)]
    }
    let job = BLASJob(
      path: path, n: size, threads: threads, samples: samples, minTimeMilliseconds: minTimeMilliseconds)
    let output: ProcessOutput
    do {
      output = try runProcess(binary.path, ["worker"], input: try WorkerRequest.blas(job).line())
    } catch {
      return threads.map { crashed($0, "could not start \(binary.path): \(error)") }
    }
    var info: BLASLibraryInfo?
    var measured: [Int: BLASMeasurement] = [:]
    for line in output.text.split(separator: "\n") {
      switch try? JSONDecoder().decode(BLASEvent.self, from: Data(line.utf8)) {
      case .library(let library)?: info = library
      case .measurement(let m)?: measured[m.threads] = m
      case nil: continue
      }
    }
    let tuning = BLASLocator.tuningVariables(environment)
    let died = output.signalled ? "the BLAS worker was killed by signal \(output.status)" : "the BLAS worker exited \(output.status)"
    let stderr = output.standardError.split(separator: "\n").last.map { ": \($0)" } ?? ""
    var cells = threads.map { threads -> InterpretedCell in
      guard let info, let m = measured[threads] else {
        return crashed(threads, "\(path): " + (output.succeeded ? "no measurement reported" : died + stderr))
      }
      var notes = [info.path]
      if let cpu = m.cpuSamples, !cpu.isEmpty, let matmul = Kernels.kernel(named: Self.kernel) {
        // Wall time on a shared machine includes waiting for a core; the
        // calling thread's CPU time (one thread: all the work) does not.
        let median = SampleStatistics(cpu).median
        if median > 0 {
          let gflops = matmul.work(size: size).amount / median / 1e9
          notes.append("on-CPU " + String(format: "%.1f", gflops) + " GFLOP/s (the thread's CPU time, \(formatSeconds(median)) a call)")
        }
      }
      if threads > 1 && !info.setsThreads { notes.append("the library does not say how to set its threads") }
      if !tuning.isEmpty { notes.append("environment: " + tuning.joined(separator: " ")) }
      return InterpretedCell(
        id: id(threads: threads), interpreter: info.description, size: size, runsPerSample: m.runsPerSample,
        samples: m.samples, setupSeconds: m.setupSeconds, result: m.result,
        verification: CellVerification(.agreement, "not verified yet"), notes: notes)
    }
    verifyInterpreted(&cells, against: swift)
    return cells
  }

  private func crashed(_ threads: Int, _ why: String) -> InterpretedCell {
    InterpretedCell(id: id(threads: threads), size: size, verification: CellVerification(.crashed, why))
  }
}
