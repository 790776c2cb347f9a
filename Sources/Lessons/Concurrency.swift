// `benchmark concurrency`: what the Python concurrency article says about
// threads, the GIL, processes and asyncio, next to what this machine measures.
//
// The article: ../shared/reference/python-concurrency-article.txt (Python
// Land, "Python Concurrency: What It Is And Should You Use it?"). Its claims
// are paraphrased here with the section they come from; the figures are
// measured in this run, in a release build, and verified against the serial
// answer before they are timed.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import Orchestration
import ProcessKit
import Workers

// MARK: - Options

/// What `benchmark concurrency` measures.
package struct ConcurrencyOptions: Equatable, Sendable {
  /// The CPU-bound kernel: one whose chunks are independent (it must also run in processes).
  package var kernel = lessonKernels[0].name
  /// Threads (and tasks in flight) for the I/O-bound rows: more than cores on purpose.
  package var ioThreads = 8
  package var samples = 5
  package var minTimeMilliseconds = 50.0
  /// Both kernels' size: tiny, quick, full (tests use tiny).
  package var size = "quick"

  package init() {}

  /// The same options as arguments, for a release worker.
  func arguments() -> [String] {
    [
      "--kernel", kernel, "--io-threads", String(ioThreads), "--samples", String(samples),
      "--min-time", String(minTimeMilliseconds), "--size", size,
    ]
  }
}


// MARK: - The command

package enum Concurrency {
  package static func main(_ options: ConcurrencyOptions) throws -> Int32 {
    guard Build.current == .release else { return try inReleaseBuild(options) }
    let progress = ProgressLine()
    let lessons = try Measurements(options: options, progress: progress).lessons()
    progress.done()
    writeStandardOutput(lessons.text)
    return lessons.allVerified ? ExitStatus.success : ExitStatus.cellFailed
  }

  /// Timings of a debug build would say nothing about any of this: build the
  /// release configuration as `run` does and let its binary measure.
  private static func inReleaseBuild(_ options: ConcurrencyOptions) throws -> Int32 {
    let progress = ProgressLine()
    let orchestrator = Orchestrator(options: RunPlan(), progress: progress)
    let binary: URL
    do {
      binary = try orchestrator.binary(for: .release, product: "benchmark", location: PackageLocation.find())
    } catch let error as Orchestrator.BuildError {
      writeStandardError("error: \(error.message)\n")
      return ExitStatus.cellFailed
    }
    progress.phase("measuring in the release build: \(binary.path) concurrency")
    let output = try runProcess(
      binary.path, ["concurrency"] + options.arguments(), passStandardError: true,
      environment: ["SWIFT_BACKTRACE": ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] ?? "enable=no"])
    writeStandardOutput(output.standardOutput)
    return output.signalled ? ExitStatus.cellFailed : output.status
  }
}

// MARK: - Measuring

/// One configuration's median time per run, after its answer was checked.
struct Timing {
  var label: String
  var seconds: Double
  var verified: Bool
  var problem: String?
  /// Process backend only: medians of start-up and compute per run.
  var startup: Double?
  var compute: Double?
}

struct Measurements {
  let options: ConcurrencyOptions
  let progress: ProgressLine
  /// The binary whose `chunks` subcommand the process rows start.
  package var binary = PackageLocation.currentExecutable()
  var cores: Int { activeCores() }

  /// Times `workload` on `executor`: one checked run, runs until the minimum
  /// time has passed (warm-up and calibration), then `samples` samples.
  func time(_ label: String, _ workload: any Workload, on executor: any ParallelExecutor, expected: KernelResult?)
    -> Timing
  {
    time(label, TimedWorkload(workload), on: executor, expected: expected)
  }

  func time(_ label: String, _ workload: TimedWorkload, on executor: any ParallelExecutor, expected: KernelResult?)
    -> Timing
  {
    progress.update("measuring \(label)")
    func timedRun() -> Double {
      let start = monotonicSeconds()
      workload.run(on: executor)
      return monotonicSeconds() - start
    }
    let first = timedRun()
    let result = workload.result()
    if let failure = workload.failure() {
      return Timing(label: label, seconds: .nan, verified: false, problem: failure)
    }
    if let expected, result != expected {
      return Timing(label: label, seconds: .nan, verified: false, problem: "got \(result), expected \(expected)")
    }
    let (_, runs) = Calibration.calibrate(
      firstRun: first, minTime: options.minTimeMilliseconds / 1000, run: timedRun)
    var samples: [Double] = []
    for _ in 0..<options.samples {
      let start = monotonicSeconds()
      for _ in 0..<runs { workload.run(on: executor) }
      samples.append((monotonicSeconds() - start) / Double(runs))
    }
    var timing = Timing(label: label, seconds: SampleStatistics.median(samples), verified: workload.result() == result)
    if let phases = workload.phases() {
      timing.startup = phases.startup
      timing.compute = phases.compute
    }
    if let failure = workload.failure() { timing.problem = failure; timing.verified = false }
    return timing
  }

  /// Times the awaited-wait variant of the latency kernel.
  func timeAwaited(_ label: String, requests: Int, expected: KernelResult) -> Timing {
    let inFlight = options.ioThreads
    let box = ResultBox()
    let workload = Cell(
      run: { _ in box.set(blockOn { await AwaitedLatency.serve(requests: requests, inFlight: inFlight) }) },
      result: { box.value ?? KernelResult(text: "not run", checksum: 0) })
    return time(label, workload, on: SequentialExecutor(), expected: expected)
  }

  func lessons() throws -> Lessons {
    // The command line checked the name; a caller building options by hand gets the same line.
    guard let cpu = try requireKernel(options.kernel, in: catalogue, context: "concurrency: ") as? any IndependentChunks
    else {
      throw UsageError("concurrency: '\(options.kernel)' cannot run in processes; its chunks are not independent")
    }
    let io = ioLessonKernel
    let cpuSize = cpu.sizes[options.size]!
    let ioSize = io.sizes[options.size]!
    let n = options.ioThreads
    progress.phase(
      "measuring \(cpu.name) (c, size \(cpuSize)) and \(io.name) (c, \(ioSize) requests) on \(cores) cores; \(n) threads for I/O")

    func workload(_ kernel: any Kernel, _ size: Int) -> any Workload { kernel.makeWorkload(.c, size: size) }
    func serialResult(_ kernel: any Kernel, _ size: Int) -> KernelResult {
      let w = workload(kernel, size)
      w.run(on: SequentialExecutor())
      return w.result()
    }
    let cpuExpected = serialResult(cpu, cpuSize)
    let ioExpected = serialResult(io, ioSize)
    let pool = ThreadPool(threads: cores)
    let ioPool = ThreadPool(threads: n)
    let availableBefore = availableCores(pool)

    var t: [String: Timing] = [:]
    func add(_ key: String, _ timing: Timing) { t[key] = timing }
    add("cpu.serial", time("\(cpu.name) · 1 thread", workload(cpu, cpuSize), on: SequentialExecutor(), expected: cpuExpected))
    add("cpu.gil", time("\(cpu.name) · \(cores) threads + GIL", workload(cpu, cpuSize), on: GILExecutor(pool), expected: cpuExpected))
    add("cpu.threads", time("\(cpu.name) · \(cores) threads", workload(cpu, cpuSize), on: pool, expected: cpuExpected))
    add("cpu.dispatch", time("\(cpu.name) · Dispatch, \(cores) wide", workload(cpu, cpuSize), on: DispatchExecutor(threads: cores), expected: cpuExpected))
    add("cpu.tasks", time("\(cpu.name) · \(cores) tasks", workload(cpu, cpuSize), on: TaskGroupExecutor(threads: cores), expected: cpuExpected))
    let processes = ProcessCell.factory(binary: binary, timeLimit: defaultTimeLimit)(
      CellID(kernel: cpu.name, flavour: .c, build: .current, threads: cores), cpu, cpuSize)!
    add("cpu.processes", time("\(cpu.name) · \(cores) processes", processes, on: SequentialExecutor(), expected: cpuExpected))

    add("io.serial", time("\(io.name) · 1 thread", workload(io, ioSize), on: SequentialExecutor(), expected: ioExpected))
    add("io.gil", time("\(io.name) · \(n) threads + GIL", workload(io, ioSize), on: GILExecutor(ioPool), expected: ioExpected))
    add("io.threads", time("\(io.name) · \(n) threads", workload(io, ioSize), on: ioPool, expected: ioExpected))
    add("io.tasks", time("\(io.name) · \(n) tasks, blocking waits", workload(io, ioSize), on: TaskGroupExecutor(threads: n), expected: ioExpected))
    add("io.awaited", timeAwaited("\(io.name) · \(n) tasks, awaited waits", requests: ioSize, expected: ioExpected))
    let available = [availableBefore, availableCores(pool)]
    return Lessons(
      options: options, cores: cores, cpuKernel: cpu.name, cpuSize: cpuSize, ioSize: ioSize, timings: t,
      available: available)
  }

  /// How many cores this process really gets right now: `cores` threads spin
  /// for 0.1 s each, and the CPU time they got is divided by the wall time.
  /// On a shared machine this is what bounds every CPU-bound speed-up here.
  func availableCores(_ pool: ThreadPool) -> Double {
    let cpu0 = processCPUSeconds()
    let start = monotonicSeconds()
    pool.forEach(pool.threads) { _ in
      let end = monotonicSeconds() + 0.1
      while monotonicSeconds() < end {}
    }
    return (processCPUSeconds() - cpu0) / (monotonicSeconds() - start)
  }
}

/// Runs `body` on the cooperative pool and blocks this (non-pool) thread
/// until it returns: the same bridge as `TaskGroupExecutor`.
private func blockOn<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
  let box = Box<T>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    box.set(await body())
    done.signal()
  }
  done.wait()
  return box.value!
}

private final class Box<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T?
  func set(_ value: T) { lock.withLock { stored = value } }
  var value: T? { lock.withLock { stored } }
}

private typealias ResultBox = Box<KernelResult>

// MARK: - The lesson table

/// The article's claims, the figures measured, and a verdict per claim.
struct Lessons {
  let options: ConcurrencyOptions
  let cores: Int
  let cpuKernel: String
  let cpuSize: Int
  let ioSize: Int
  let timings: [String: Timing]
  /// Cores this process got (CPU seconds per second of `cores` spinning threads), before and after.
  var available: [Double] = []

  var allVerified: Bool { timings.values.allSatisfy(\.verified) }

  private func speedup(_ from: String, _ to: String) -> Double? {
    guard let a = timings[from], let b = timings[to], a.verified, b.verified else { return nil }
    return a.seconds / b.seconds
  }

  private func x(_ value: Double?) -> String { value.map(formatRatio) ?? "FAIL" }

  private func times(_ from: String, _ to: String) -> String {
    guard let a = timings[from]?.seconds, let b = timings[to]?.seconds, a.isFinite, b.isFinite else {
      return timings[to]?.problem ?? "not measured"
    }
    return "\(formatSeconds(a)) → \(formatSeconds(b))"
  }

  struct Row {
    var lesson: String
    var section: String
    var claim: String
    var expected: String
    var measured: String
    var detail: String
    var verdict: String
  }

  var rows: [Row] {
    let n = options.ioThreads
    let gilCPU = speedup("cpu.serial", "cpu.gil")
    let gilIO = speedup("io.serial", "io.gil")
    let threadsIO = speedup("io.serial", "io.threads")
    let processes = speedup("cpu.serial", "cpu.processes")
    let p = timings["cpu.processes"]
    let processCompute = p?.compute.flatMap { c in timings["cpu.serial"].map { $0.seconds / c } }
    let tasksCPU = speedup("cpu.serial", "cpu.tasks")
    let threadsCPU = speedup("cpu.serial", "cpu.threads")
    let dispatchCPU = speedup("cpu.serial", "cpu.dispatch")
    let awaited = speedup("io.serial", "io.awaited")
    let tasksBlocking = speedup("io.serial", "io.tasks")
    let c = Double(cores)

    func verdict(_ value: Double?, _ holds: (Double) -> Bool, _ yes: String, _ no: String) -> String {
      guard let value else { return "not measured (a cell failed)" }
      return holds(value) ? "holds: \(yes)" : "does not hold here: \(no)"
    }

    return [
      Row(
        lesson: "threads + GIL, CPU-bound", section: "Python concurrency with threads",
        claim: "threads take turns under the GIL, so they are useless for CPU-bound work and only add switching overhead",
        expected: "≈1×", measured: x(gilCPU),
        detail: "\(cpuKernel), \(cores) threads, every chunk under one lock: \(times("cpu.serial", "cpu.gil"))",
        verdict: verdict(gilCPU, { $0 < 1.25 }, gilCPU.map { $0 < 0.95 ? "no gain; slower, as the article warns (lock hand-offs)" : "no gain" } ?? "", "the lock did not serialise the work")),
      Row(
        lesson: "threads + GIL, I/O-bound", section: "Python concurrency with threads",
        claim: "while one thread waits for the network or disk, others run: threads make a big difference for I/O-bound work",
        expected: "≈\(n)× (\(n) threads)", measured: x(gilIO),
        detail: "latency, \(n) threads, lock released around each wait: \(times("io.serial", "io.gil")); without the lock \(x(threadsIO)) — more threads than cores help, since a waiting thread holds no core",
        verdict: verdict(gilIO, { $0 >= 0.5 * Double(n) }, "the GIL does not stop I/O from overlapping", "the waits did not overlap")),
      Row(
        lesson: "processes, CPU-bound", section: "Python concurrency with multiprocessing",
        claim: "multiprocessing sidesteps the GIL by starting more interpreters and can scale linearly with cores; starting processes has a cost",
        expected: "≈\(cores)× minus start-up", measured: x(processes),
        detail: "\(cpuKernel), \(cores) worker processes per run: \(times("cpu.serial", "cpu.processes")); of which start-up \(p?.startup.map(formatSeconds) ?? "?") (posix_spawn to all ready) and compute \(p?.compute.map(formatSeconds) ?? "?") (\(x(processCompute)) on compute alone)",
        verdict: verdict(processCompute, { $0 >= 0.7 * c }, "compute scales with cores; start-up is the price", "compute did not scale")),
      Row(
        lesson: "async tasks vs threads, I/O-bound", section: "Python concurrency with asyncio",
        claim: "asyncio solves the same problem as threading — it speeds up I/O-bound software — in a different way",
        expected: "≈ threads (\(x(threadsIO)))", measured: x(awaited),
        detail: "latency, \(n) Swift tasks in flight, waits awaited (Task.sleep): \(times("io.serial", "io.awaited")); the same tasks *blocking* in their waits: \(x(tasksBlocking)), no better than the cooperative pool's \(cores) threads",
        verdict: verdict(awaited.flatMap { a in threadsIO.map { a / $0 } }, { $0 >= 0.7 }, "when the waits are awaited, not blocking", "tasks fell short of threads")),
      Row(
        lesson: "tasks vs threads, CPU-bound", section: "",
        claim: "Swift tasks run on a pool with one thread per core, so on CPU-bound work they should match threads",
        expected: "≈ threads (\(x(threadsCPU)))", measured: x(tasksCPU),
        detail: "\(cpuKernel), \(cores) tasks on the cooperative pool: \(times("cpu.serial", "cpu.tasks")); Dispatch concurrentPerform \(x(dispatchCPU))",
        verdict: verdict(tasksCPU.flatMap { a in threadsCPU.map { a / $0 } }, { $0 >= 0.8 }, "tasks ≈ threads", "tasks fell short of threads")),
      Row(
        lesson: "real threads, CPU-bound", section: "Python concurrency with threads",
        claim: "unlike other languages, Python's threads do not run at the same time — so in a language without a GIL they should",
        expected: "≈\(cores)×", measured: x(threadsCPU),
        detail: "\(cpuKernel), \(cores) Swift threads (ThreadPool), no lock: \(times("cpu.serial", "cpu.threads"))",
        verdict: verdict(threadsCPU, { $0 >= 0.7 * c }, "threads use every core", "threads did not scale")),
    ]
  }

  package var text: String {
    let ms = Int((latencyRoundTrip.components.attoseconds / 1_000_000_000_000_000) + latencyRoundTrip.components.seconds * 1000)
    var out = "Threads, processes, tasks and the GIL, measured — what the article says vs what we measured here\n"
    out += "release build · \(cores) cores · \(cpuKernel) (C flavour, size \(cpuSize)) for CPU-bound work · latency (C, \(ioSize) requests × \(ms) ms wait) for I/O-bound work\n"
    out += "median of \(counted(options.samples, "sample")) of ≥ \(significant(options.minTimeMilliseconds)) ms; each speed-up is over 1 thread of the same kernel, measured in this run\n"
    out += "article: Python Land, \"Python Concurrency: What It Is And Should You Use it?\" (claims paraphrased)\n"
    if !available.isEmpty {
      let got = available.map { String(format: "%.2f", $0) }.joined(separator: " before, ") + " after"
      out += "cores this run got: \(got), of \(cores) (CPU seconds per second that \(cores) spinning threads received)\n"
      if available.min()! < 0.8 * Double(cores) {
        out += "note: other work took part of the machine; a CPU-bound row that falls short may be the machine, not the lesson\n"
      }
    }
    out += "\n"
    out += "  " + "lesson".padded(36) + "expected".padded(26) + "measured".leftPadded(9) + "  verdict\n"
    for row in rows {
      out += "  " + row.lesson.padded(36) + row.expected.padded(26) + row.measured.leftPadded(9) + "  " + row.verdict + "\n"
    }
    for (i, row) in rows.enumerated() {
      out += "\n\(i + 1). \(row.lesson)\n"
      out += row.section.isEmpty
        ? "   (no claim in the article; Swift's side): \(row.claim)\n" : "   the article (\(row.section)): \(row.claim)\n"
      out += "   measured: \(row.detail)\n"
    }
    out += "\nThe GIL above is a lock in Swift around each chunk. Real CPython threads on the same chunks, the GIL held\n"
    out += "(plain Python) beside threads whose @njit(nogil=True) Numba chunks release it: the threads-or-processes\n"
    out += "table of `benchmark --interpreters --kernels \(cpuKernel)`, and `python3 bench/python/gil_threads.py`.\n"
    let failed = timings.values.filter { !$0.verified }
    if !failed.isEmpty {
      out += "\nFAIL: " + failed.map { "\($0.label): \($0.problem ?? "result changed while timing")" }.joined(separator: "; ") + "\n"
    }
    return out
  }
}
