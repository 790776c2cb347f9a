// `WorkerRequest.blas`: times a BLAS's dgemm on matmul's input, in a
// process of its own, so a library that crashes costs only its rung.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import WorkerProtocol

package enum BLASWorker {
  /// Loads the library, writes its description, then one measurement per
  /// thread count (JSON Lines on standard output). A library that cannot be
  /// loaded: one line on standard error and exit 1.
  package static func main(_ job: BLASJob) -> Int32 {
    let library: BLASLibrary
    do {
      library = try BLASLibrary(path: job.path)
    } catch {
      writeStandardError("blas: \(error)\n")
      return ExitStatus.cellFailed
    }
    let setsThreads = library.setThreads(job.threads[0])
    emit(.library(BLASLibraryInfo(library, setsThreads: setsThreads)))
    let setupStart = monotonicSeconds()
    let (a, b) = MatMulReference.input(n: job.n)
    var c = [Double](repeating: .nan, count: job.n * job.n)
    let setup = monotonicSeconds() - setupStart
    for threads in job.threads {
      library.setThreads(threads)
      var runs: [Int] = []
      var samples: [Double] = []
      var cpu: [Double] = []
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          c.withUnsafeMutableBufferPointer { c in
            let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
            func call() { library.multiply(n: job.n, a: pa, b: pb, c: pc) }
            call()  // warm-up: the library's buffers and threads start here
            var perSample = 1
            while samples.count < job.samples {
              let start = monotonicSeconds()
              let cpuStart = threadCPUSeconds()
              for _ in 0..<perSample { call() }
              let seconds = monotonicSeconds() - start
              let cpuSeconds = threadCPUSeconds() - cpuStart
              if seconds * 1000 < job.minTimeMilliseconds && perSample < 1 << 20 {
                perSample *= 2
                continue
              }
              runs.append(perSample)
              samples.append(seconds / Double(perSample))
              cpu.append(cpuSeconds / Double(perSample))
            }
          }
        }
      }
      let result = c.withUnsafeBufferPointer { MatMulReference.result($0) }
      emit(
        .measurement(
          BLASMeasurement(
            threads: threads, runsPerSample: runs, samples: samples, result: result, setupSeconds: setup,
            cpuSamples: threads == 1 ? cpu : nil)))
      // The next thread count starts from a C the library must fill again.
      c.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
    }
    return ExitStatus.success
  }

  /// The calling thread's CPU time, in seconds.
  private static func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }

  private static func emit(_ event: BLASEvent) {
    guard var data = try? JSONEncoder().encode(event) else { return }
    data.append(UInt8(ascii: "\n"))
    _ = writeAll(STDOUT_FILENO, data)
  }
}
