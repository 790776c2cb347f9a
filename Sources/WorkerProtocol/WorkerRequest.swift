// What a parent asks of a worker process, in one place: the request it sends
// and how it travels. The worker's answers are in WorkerEvent.swift and
// BLASJob.swift.
//
// The wire: the parent starts `benchmark-worker worker` (or `benchmark worker`,
// the same entry in the command-line binary) and writes one `WorkerRequest` to
// its standard input as one line of JSON. A malformed request is one `error:`
// line on standard error and exit status 2, never a trap.

import Foundation
import MeasurementKit
import ProcessKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One job for a worker process: one case per kind of worker.
package enum WorkerRequest: Equatable, Sendable {
  /// Measure a run plan's cells in this build (`Worker`); answers `WorkerEvent` lines.
  case measure(MeasureRequest)
  /// One worker process of the process backend (`ChunksWorker`); answers
  /// `ProcessPool`'s frames, with a handshake on standard input after the request.
  case chunks(ChunkJob)
  /// Time a BLAS's dgemm on matmul's input (`BLASWorker`); answers `BLASEvent` lines.
  case blas(BLASJob)
}

// MARK: - Coding

extension WorkerRequest: Codable {
  private enum CodingKeys: String, CodingKey, CaseIterable {
    case measure, chunks, blas
  }

  /// `{"measure": {…}}`: one key, the job's name, and the job. Each job is
  /// checked as it is decoded (`check()`), so a decoded request is one the
  /// worker can run.
  package init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    guard container.allKeys.count == 1, let key = container.allKeys.first else {
      throw UsageError(
        "it must name one job, one of \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
    }
    switch key {
    case .measure:
      let request = try container.decode(MeasureRequest.self, forKey: key)
      try request.check()
      self = .measure(request)
    case .chunks:
      let job = try container.decode(ChunkJob.self, forKey: key)
      try job.check()
      self = .chunks(job)
    case .blas:
      let job = try container.decode(BLASJob.self, forKey: key)
      try job.check()
      self = .blas(job)
    }
  }

  package func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .measure(let request): try container.encode(request, forKey: .measure)
    case .chunks(let job): try container.encode(job, forKey: .chunks)
    case .blas(let job): try container.encode(job, forKey: .blas)
    }
  }
}

// MARK: - The wire

extension WorkerRequest {
  /// The most a request may hold: a measure request of every kernel and cell
  /// is a few tens of kilobytes.
  static let maxBytes = 16 << 20

  /// The request as the parent sends it: one line of JSON (JSON escapes every
  /// line break inside a string), then a newline.
  package func line() throws -> Data {
    var data = try JSONEncoder().encode(self)
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// The request in `data` (one JSON document; a newline after it is allowed),
  /// or the one-line usage error that says why it is not one.
  package static func decode(_ data: Data) throws(UsageError) -> WorkerRequest {
    do {
      return try JSONDecoder().decode(WorkerRequest.self, from: data)
    } catch let error as UsageError {
      throw UsageError("worker: bad request: \(error.message)")
    } catch let error as DecodingError {
      // JSON that is not a request, or no JSON at all ("not valid JSON (truncated?)").
      let isJSON = (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil
      throw UsageError("worker: bad request: \((isJSON ? nil : jsonProblem(data)) ?? describeDecodingError(error))")
    } catch {
      throw UsageError("worker: bad request: \(error)")
    }
  }

  /// Reads one request line from `descriptor` (standard input) and decodes it.
  ///
  /// Reads until a newline (or end of file) has arrived. A chunks worker's
  /// parent writes its `G` on the same pipe only after the worker has said
  /// it is ready, so nothing follows the line when it is read; anything that
  /// does is refused, as a second request would be.
  package static func receive(from descriptor: Int32 = STDIN_FILENO) throws(UsageError) -> WorkerRequest {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var ended = false
    while !ended {
      let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw UsageError("worker: cannot read the request: \(String(cString: strerror(errno)))") }
      data.append(contentsOf: buffer[..<max(n, 0)])
      ended = n == 0 || buffer[..<n].contains(UInt8(ascii: "\n"))
      guard data.count <= maxBytes else { throw UsageError("worker: the request is over \(maxBytes >> 20) MiB") }
    }
    guard !data.isEmpty else {
      throw UsageError("worker: no request on standard input; the parent writes one WorkerRequest as a line of JSON")
    }
    if let newline = data.firstIndex(of: UInt8(ascii: "\n")), newline + 1 < data.endIndex {
      throw UsageError("worker: standard input holds more than one line; a worker takes one request")
    }
    return try decode(data)
  }
}
