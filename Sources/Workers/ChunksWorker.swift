// `WorkerRequest.chunks`: one worker process of the process backend.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit
import WorkerProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - The worker

package enum ChunksWorker {
  /// Prepares the input, says `R`, waits for `G`, computes this worker's
  /// chunks and writes them as frames; see `ProcessPool`.
  package static func main(_ job: ChunkJob) -> Int32 {
    guard let kernel = job.kernel as? any IndependentChunks, let work = kernel.makeChunks(job.flavour, size: job.size)
    else {
      writeStandardError("error: \(job.kernel.name) \(job.flavour) cannot run in worker processes\n")
      return ExitStatus.usage
    }
    guard writeAll(STDOUT_FILENO, [UInt8(ascii: "R")]) else { return ExitStatus.parentGone }
    var go: UInt8 = 0
    guard read(0, &go, 1) == 1, go == UInt8(ascii: "G") else { return ExitStatus.success }  // the parent gave up
    // If the parent dies (even by SIGKILL, which no handler sees) its end of
    // our standard input closes: stop at once rather than compute for no one.
    // (A bare pthread: the watchdog should cost the worker nothing.)
    #if canImport(Darwin)
      var watchdog: pthread_t?
    #else
      var watchdog = pthread_t()
    #endif
    _ = pthread_create(&watchdog, nil, { _ in
      var byte: UInt8 = 0
      while read(0, &byte, 1) != 0 {}
      _exit(ExitStatus.parentGone)
    }, nil)
    // Test hooks, so tests can prove that a crashing or hanging worker leaves no process behind.
    let environment = ProcessInfo.processInfo.environment
    let crash = environment["SPEEDLADDER_CRASH_CHUNK"].flatMap { Int($0) }
    let hang = environment["SPEEDLADDER_HANG_CHUNK"].flatMap { Int($0) }
    // Frames go out in writes of about a pipe's capacity (64 KiB), not one
    // system call per chunk: nqueens has 110 chunks of 8 bytes.
    var frames = [UInt8]()
    frames.reserveCapacity(1 << 16)
    for index in stride(from: job.worker, to: work.count, by: job.of) {
      if index == crash { abort() }
      if index == hang { while true { pause() } }
      let partial = work.partial(index)
      for value in [index, partial.count] {
        for shift in stride(from: 0, to: 32, by: 8) { frames.append(UInt8(truncatingIfNeeded: value >> shift)) }
      }
      frames += partial
      if frames.count >= 1 << 16 {
        guard writeAll(STDOUT_FILENO, frames) else { return ExitStatus.parentGone }
        frames.removeAll(keepingCapacity: true)
      }
    }
    return writeAll(STDOUT_FILENO, frames) ? ExitStatus.success : ExitStatus.parentGone
  }
}
