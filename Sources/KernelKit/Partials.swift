// The one extension of the kernel contract that processes need: a kernel
// whose work is independent chunks, reduced at the end, can hand out its
// chunks to another process and take back their partial results as bytes.

// MARK: - Independent chunks

/// A kernel whose one parallel phase is independent chunks whose partial
/// results are combined, in chunk order, at the end.
///
/// Threads share memory, so a `Workload` can let chunks write into one
/// buffer. Processes do not: a worker process rebuilds the same input from the
/// same seed, computes some chunks, and sends each partial result back as
/// bytes; the parent combines them. That is all a kernel has to add, and only
/// kernels of this shape can add it. A kernel with a barrier per step (nbody,
/// spectral-norm) would have to ship its whole state between processes at
/// every step; it does not conform, and the process backend says so — which
/// is what Python's multiprocessing teaches too.
public protocol IndependentChunks: Kernel {
  /// Prepares `flavour` at `size` (input from the kernel's seed, outside any
  /// timed region), or nil where the flavour cannot be driven chunk by chunk.
  func makeChunks(_ flavour: Flavour, size: Int) -> (any ChunkWork)?
}

/// One kernel × flavour × size, split into independent chunks.
public protocol ChunkWork: AnyObject {
  /// How many chunks; depends on the size only, never on who computes them.
  var count: Int { get }
  /// Computes chunk `index` and returns its partial result, serialised.
  func partial(_ index: Int) -> [UInt8]
  /// Combines every chunk's partial result, given in chunk order.
  func combine(_ partials: [[UInt8]]) -> KernelResult
}

// MARK: - Partials of small integers

/// The little-endian bytes of `values`: how most kernels' partials travel.
public func partialBytes(_ values: Int...) -> [UInt8] {
  values.flatMap { value in
    (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: Int64(value)) >> (8 * $0)) }
  }
}

/// The integers `partialBytes` wrote.
public func partialInts(_ bytes: [UInt8]) -> [Int] {
  precondition(bytes.count % 8 == 0, "a partial of integers has a multiple of 8 bytes")
  return stride(from: 0, to: bytes.count, by: 8).map { start in
    Int(Int64(bitPattern: bytes[start..<start + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
  }
}

/// `ChunkWork` from three closures.
public final class Chunks: ChunkWork {
  public let count: Int
  private let partialBody: (Int) -> [UInt8]
  private let combineBody: ([[UInt8]]) -> KernelResult

  public init(
    count: Int, partial: @escaping (Int) -> [UInt8], combine: @escaping ([[UInt8]]) -> KernelResult
  ) {
    self.count = count
    self.partialBody = partial
    self.combineBody = combine
  }

  public func partial(_ index: Int) -> [UInt8] { partialBody(index) }
  public func combine(_ partials: [[UInt8]]) -> KernelResult { combineBody(partials) }
}

extension ChunkWork {
  /// Every chunk on this thread, combined: what a process backend must equal.
  public func serialResult() -> KernelResult { combine((0..<count).map(partial)) }
}
