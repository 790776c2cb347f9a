// latency: an I/O-bound kernel, to measure what threads buy when work waits.

import CKernels
import Synchronization
import IdiomaticKernels
import KernelKit
import UnsafeKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Serves n simulated requests, one per chunk: each waits a fixed round trip
/// (`roundTrip`, 2 ms) for its "reply", then does a little CPU work on it
/// (`rounds` SplitMix64 draws from the request's own seed, folded into a
/// 64-bit digest).
///
/// - Bottleneck: waiting. A request costs 2 ms of wall time and about 1% of
///   that in CPU (release); no compiler or language makes sleeping faster, and
///   a thread that waits lets another run, so threads help even on one core.
/// - The three waits: the idiomatic flavour sleeps with Foundation's
///   `Thread.sleep`, the unsafe flavour waits on a pipe nobody writes to with a
///   `poll` timeout (a client waiting on a socket), the C flavour calls
///   `nanosleep`. Each runs inside `blockingCall`, which releases the global
///   lock of `--gil` runs as CPython releases its GIL around I/O.
/// - Not in the default run, nor in the ladder's compounding summary
///   (`isIOBound`): its debug → release and 1 → all-cores "gains" would say
///   something about sleeping, not compiling, and drag the geometric means
///   towards 1×. Run it with `--kernels latency`, or see `benchmark concurrency`.
/// - Result: `requests n · digest 0x…`, the FNV-1a digest of the requests'
///   digests in request order; the tests recompute it independently.
struct Latency: Kernel {
  let name = "latency"
  let bottleneck = "I/O wait (simulated)"
  let summary = "n simulated requests: a 2 ms wait for each reply, then a little CPU work on it"
  let parameter = "n (requests)"
  let sizes = KernelSizes(tiny: 16, quick: 100, full: 1_000)
  let isIOBound = true
  let notes = KernelNotes(
    debug: "Almost nothing to lose: a request is a fixed wait (`roundTrip`) and a little work, and only the work runs slower unoptimised.",
    idiomatic: "Thread.sleep and a SplitMix64 value type: the same wait and work as the other flavours.",
    unsafe: "A poll timeout on an idle pipe instead of a sleep; poll counts whole milliseconds.",
    c: "nanosleep; the same work loop as unsafe Swift.",
    parallel: "Requests are independent chunks: a thread that waits holds no core, so more threads than cores still help, until the waits overlap completely. Under --gil the lock is released around each wait, as CPython releases its GIL around I/O.",
    vector: Self.noVectors,
    native: "Not expected to matter: the time is the waits, which no instruction set shortens.")

  /// The simulated round trip of one request.
  static let roundTrip = Duration.milliseconds(2)
  /// CPU work per reply: SplitMix64 draws.
  static let rounds = 10_000

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "I/O-bound: it waits; its little CPU work is one serial SplitMix64 chain per request, each draw depending on the last"
  var vectorNotApplicable: String? { Self.noVectors }
  /// The span flavour measures bounds checks; this kernel's chunk indexes no
  /// memory (its wait is a system call, its work a register-only chain).
  var spanNotApplicable: String? {
    "I/O-bound: its chunk indexes no memory (a wait on a descriptor and a SplitMix64 chain in registers), so there are no bounds checks to measure"
  }
  let ceiling = Ceiling.none("waiting, not computing")

  /// The requests served, each a round trip's wait plus `rounds` draws.
  func work(size n: Int) -> Work { Work(Double(n), .elements, "requests served") }

  func validate(size: Int) throws { try require(size, in: 1...100_000, "100,000 requests wait 200 s serially") }

  /// No published reference exists; agreement between cells (and the tests'
  /// independent recomputation) is the check.
  func verify(_ result: KernelResult, size: Int) -> Verification {
    result.text.hasPrefix("requests \(size) · ") ? .noReference : .mismatch("expected \(size) requests")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    switch flavour {
    case .vector, .cVector, .span:
      preconditionFailure("\(name) has no \(flavour) flavour: \(notApplicable(flavour) ?? "")")
    case .idiomatic:
      let kernel = Idiomatic.Latency(requests: n, latency: Self.roundTrip, rounds: Self.rounds)
      return Cell(run: kernel.run, result: { Self.result(kernel.digests) })
    case .unsafe, .c:
      let driver = Driver(requests: n, serve: Self.serve(flavour))
      return Cell(run: driver.run, result: { Self.result(driver.digests) })
    }
  }

  /// The driver the unsafe and C flavours share: one request per chunk.
  private final class Driver {
    let requests: Int
    let serve: @Sendable (Int) -> UInt64
    var digests: [UInt64] = []

    init(requests: Int, serve: @escaping @Sendable (Int) -> UInt64) {
      self.requests = requests
      self.serve = serve
    }

    func run(on executor: any ParallelExecutor) { digests = executor.map(requests, serve) }
  }

  static func result(_ digests: [UInt64]) -> KernelResult {
    var digest = FNV1a()
    for value in digests { digest.combine(value) }
    return KernelResult(text: "requests \(digests.count) · digest \(digest.value.hex16)", checksum: digest.value)
  }

  /// One request of the unsafe or C flavour: the wait (releasing the GIL, if
  /// any), then the work.
  static func serve(_ flavour: Flavour) -> @Sendable (Int) -> UInt64 {
    let rounds = Self.rounds
    switch flavour {
    case .c:
      let nanoseconds = Int64(roundTrip.components.seconds) * 1_000_000_000
        + Int64(roundTrip.components.attoseconds / 1_000_000_000)
      return { request in
        blockingCall { ck_latency_wait(nanoseconds) }
        return ck_latency_work(request, rounds)
      }
    default:
      let milliseconds = Int32(roundTrip.components.seconds * 1000 + roundTrip.components.attoseconds / 1_000_000_000_000_000)
      _ = IdlePipe.shared  // opened before any chunk runs
      return { request in
        blockingCall { IdlePipe.shared.wait(milliseconds) }
        return Unsafe.latencyWork(request, rounds)
      }
    }
  }
}

/// The read end of a pipe that nobody ever writes to: waiting on it for
/// input is a timed wait that always times out, like a request whose reply
/// takes exactly the round trip. One per process; waiting threads share it.
final class IdlePipe: Sendable {
  static let shared = IdlePipe()
  private let read: Int32
  private let write: Int32

  private init() {
    var fds: [Int32] = [0, 0]
    precondition(pipe(&fds) == 0, "pipe() failed: the latency kernel needs two file descriptors")
    (read, write) = (fds[0], fds[1])
  }

  func wait(_ milliseconds: Int32) { Unsafe.latencyWait(read, milliseconds) }
}

// MARK: - In worker processes

extension Latency: IndependentChunks {
  /// A chunk is one request; its partial is its digest. Each process waits
  /// for its own requests.
  func makeChunks(_ flavour: Flavour, size n: Int) -> (any ChunkWork)? {
    var serve: (Int) -> UInt64 = { Idiomatic.Latency.serve($0, latency: Self.roundTrip, rounds: Self.rounds) }
    if flavour != .idiomatic { serve = Self.serve(flavour) }
    return Chunks(count: n) { partialBytes(Int(bitPattern: UInt(serve($0)))) } combine: { partials in
      Self.result(partials.map { UInt64(bitPattern: Int64(partialInts($0)[0])) })
    }
  }
}

// MARK: - With awaited waits (the asyncio way)

/// The latency kernel's requests with the wait *awaited* (`Task.sleep`)
/// instead of blocking a thread: what asyncio does with an event loop. A
/// suspended task holds no thread, so `inFlight` requests overlap on a
/// cooperative pool of only a few threads.
///
/// This is not a `Workload` (a workload's chunks are synchronous); it is the
/// one async variant `benchmark concurrency` measures next to the blocking
/// ones. Same requests, same work (the C flavour's), same result.
public enum AwaitedLatency {
  /// Serves `requests` requests with at most `inFlight` at a time; returns
  /// the kernel's result, equal to every flavour's.
  public static func serve(requests: Int, inFlight: Int) async -> KernelResult {
    let rounds = Latency.rounds
    let digests = await withTaskGroup(of: [(Int, UInt64)].self) { group in
      let next = Next()
      for _ in 0..<max(1, min(inFlight, requests)) {
        group.addTask {
          var mine: [(Int, UInt64)] = []
          while let request = next.claim(below: requests) {
            try? await Task.sleep(for: Latency.roundTrip)
            mine.append((request, ck_latency_work(request, rounds)))
          }
          return mine
        }
      }
      var all = [UInt64](repeating: 0, count: requests)
      for await mine in group { for (request, digest) in mine { all[request] = digest } }
      return all
    }
    return Latency.result(digests)
  }

  /// Request numbers handed out in order.
  private final class Next: Sendable {
    private let value = Locked(0)
    func claim(below end: Int) -> Int? {
      value.withLock { value in
        guard value < end else { return nil }
        defer { value += 1 }
        return value
      }
    }
  }
}

/// The latency kernel's simulated round trip, for reports.
public let latencyRoundTrip = Latency.roundTrip
