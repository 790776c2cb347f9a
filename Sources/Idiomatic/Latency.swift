// latency, idiomatic flavour. See Kernels/Latency.swift.

import Foundation
import KernelKit

extension Idiomatic {
  /// Serves `requests` simulated requests, one per chunk: each sleeps for the
  /// round trip, then digests its reply.
  public final class Latency {
    public let requests: Int
    public let latency: Duration
    public let rounds: Int
    /// Each request's digest, in request order, after `run`.
    public private(set) var digests: [UInt64] = []
    /// Request 0's seed (equals `CK_LATENCY_SEED`); request i xors in i times
    /// the golden-ratio constant.
    public static let seed: UInt64 = 0x1a7e_9c5e_9d2b_4f31

    public init(requests: Int, latency: Duration, rounds: Int) {
      self.requests = requests
      self.latency = latency
      self.rounds = rounds
    }

    public func run(on executor: any ParallelExecutor) {
      let (latency, rounds) = (latency, rounds)
      digests = executor.map(requests) { request in Self.serve(request, latency: latency, rounds: rounds) }
    }

    /// One request: wait (with the GIL released, if there is one), then work.
    public static func serve(_ request: Int, latency: Duration, rounds: Int) -> UInt64 {
      let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) * 1e-18
      blockingCall { Thread.sleep(forTimeInterval: seconds) }
      return work(request, rounds: rounds)
    }

    /// `rounds` draws from the request's own SplitMix64, folded into a digest.
    public static func work(_ request: Int, rounds: Int) -> UInt64 {
      var generator = SplitMix64(seed: seed ^ (UInt64(request) &* 0x9e37_79b9_7f4a_7c15))
      var digest: UInt64 = 0
      for _ in 0..<rounds {
        digest ^= generator.next()
        digest = digest << 5 | digest >> 59
      }
      return digest
    }
  }
}
