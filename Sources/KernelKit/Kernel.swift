// The contract between a kernel and the harness.
//
// The harness knows kernels only through `Kernel` (what a kernel is, its sizes
// and reference answers) and `Workload` (one kernel × flavour × size with its
// input prepared, ready to be timed).

// MARK: - Flavour

/// The implementations a kernel has, in ladder order. This list is the one
/// place flavours are named: the harness, its options, reports and gates
/// derive everything from it.
public enum Flavour: String, CaseIterable, Sendable, Codable, Comparable {
  /// What a good Swift programmer writes first: arrays, value types, for-in.
  case idiomatic
  /// The unsafe flavour's representation and algorithm with no unsafe
  /// construct: `Span`, `MutableSpan` and `InlineArray`, bounds-checked,
  /// compiled with strict memory safety.
  case span
  /// The fastest scalar Swift we can write: unsafe buffers, `&+`, flat storage.
  case unsafe
  /// Portable C11 compiled by SwiftPM, same algorithm and layout as `unsafe`.
  case c
  /// Swift written with the standard library's SIMD types over unsafe buffers.
  case vector
  /// C with GCC/Clang vector extensions (`vector_size`), same lanes and algorithm as `vector`.
  case cVector = "c-vector"

  public static func < (a: Flavour, b: Flavour) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// True for the explicit-vector flavours, which a kernel may not have.
  public var isVector: Bool { self == .vector || self == .cVector }

  /// Whether a debug build leaves it out unless `--flavours` names it: at
  /// -Onone the standard library's generic SIMD operators (`vector`) and every
  /// `Span` subscript (`span`) are unspecialised calls, so those cells would
  /// cost most of a default run's time, and the ladder has no debug rung for
  /// either. The run plan and the gates file both read this.
  public var leftOutOfDebugByDefault: Bool { self == .vector || self == .span }

  /// How reports name it: "idiomatic", "span", "unsafe", "C", "vector", "C vector".
  public var displayName: String {
    switch self {
    case .idiomatic: "idiomatic"
    case .span: "span"
    case .unsafe: "unsafe"
    case .c: "C"
    case .vector: "vector"
    case .cVector: "C vector"
    }
  }

  /// `"idiomatic, span, unsafe, c, vector, c-vector"`: what error messages list.
  public static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

// MARK: - Work

/// What one run of a kernel does, in the unit that bounds it: floating-point
/// operations for compute-bound kernels, bytes moved for memory-bound ones,
/// or counted elements (nodes, permutations, k-mers…) where neither fits.
/// The harness divides it by a cell's time to get a rate, and the rate by
/// the machine's measured limit to say how close the cell comes to it.
public struct Work: Sendable, Equatable, Codable {
  public enum Unit: String, Sendable, Codable {
    /// Double-precision floating-point operations (a fused multiply-add counts 2).
    case flops
    /// Bytes read plus bytes written to memory.
    case bytes
    /// Some other countable: see `what`.
    case elements
  }

  public var amount: Double
  public var unit: Unit
  /// What is counted, in a few words: "flops: 8 per escape-time iteration".
  public var what: String

  public init(_ amount: Double, _ unit: Unit, _ what: String) {
    precondition(amount > 0 && amount.isFinite, "work must be positive and finite")
    self.amount = amount
    self.unit = unit
    self.what = what
  }
}

// MARK: - Sizes

/// A kernel's named problem sizes. What the number means is the kernel's
/// `parameter` (an image side, a body count, a sieve limit…).
public struct KernelSizes: Sendable, Equatable {
  /// For tests: fast even in a debug build.
  public var tiny: Int
  /// The default benchmark: debug idiomatic on one thread ≲ 1.5 s, release C ≥ 5 ms.
  public var quick: Int
  /// Release C on one thread ≈ 0.5–1 s.
  public var full: Int

  public init(tiny: Int, quick: Int, full: Int) {
    self.tiny = tiny
    self.quick = quick
    self.full = full
  }

  /// The size called `name`, if it is one of `tiny`, `quick`, `full`.
  public subscript(name: String) -> Int? {
    switch name {
    case "tiny": tiny
    case "quick": quick
    case "full": full
    default: nil
    }
  }

  public static let names = ["tiny", "quick", "full"]
}

/// A size a kernel cannot take.
public struct SizeError: Error, CustomStringConvertible, Equatable {
  public var kernel: String
  public var size: Int
  public var reason: String

  public init(kernel: String, size: Int, reason: String) {
    self.kernel = kernel
    self.size = size
    self.reason = reason
  }

  public var description: String { "\(kernel) cannot take size \(size): \(reason)" }
}

// MARK: - Verification

/// What a kernel says about a result when it knows the answer for that size.
public enum Verification: Sendable, Equatable {
  /// The result equals a published or independently computed reference.
  case matches(String)
  /// No reference is known at this size; only agreement between cells is checked.
  case noReference
  /// The result is wrong; the message says how.
  case mismatch(String)
}

// MARK: - Kernel

/// One CPU-bound kernel of the catalogue.
///
/// A kernel's three flavours compute the same answer from the same input with
/// the same decomposition into chunks: the harness owns the threads, a flavour
/// only computes chunks, and the kernel combines their partial results in chunk
/// order, so one thread and many threads give the same answer.
public protocol Kernel: Sendable {
  /// Lower-case, hyphenated, unique: `"spectral-norm"`.
  var name: String { get }
  /// The bottleneck it exercises, in a few words.
  var bottleneck: String { get }
  /// What it computes, in one sentence.
  var summary: String { get }
  /// What the size number means, e.g. `"n (an n×n image)"`.
  var parameter: String { get }
  var sizes: KernelSizes { get }
  /// Relative tolerance for `KernelResult.values` between flavours; 0 means exact.
  var tolerance: Double { get }
  /// True for a kernel that mostly waits (latency): left out of the default
  /// run and of the ladder's compounding summary, whose geometric means are
  /// about what compiling and cores buy CPU-bound work.
  var isIOBound: Bool { get }
  /// Why each rung of this kernel's ladder gains what it gains.
  var notes: KernelNotes { get }
  /// Throws `SizeError` when the kernel cannot take `size`.
  func validate(size: Int) throws
  /// Checks a result against what is known for `size`.
  func verify(_ result: KernelResult, size: Int) -> Verification
  /// Why this kernel cannot run in worker processes (read only when it is
  /// not `IndependentChunks`), e.g. "needs shared memory between steps".
  var processesNotApplicable: String { get }
  /// Why this kernel has no vector flavours, or nil when it has them: e.g.
  /// "allocation-bound: each node is a separate heap object".
  var vectorNotApplicable: String? { get }
  /// Why this kernel has no span flavour, or nil when it has one: e.g.
  /// "I/O-bound: its chunk indexes no memory".
  var spanNotApplicable: String? { get }
  /// Which bounds checks the span flavour keeps in its hot loops and why
  /// (the safety-checks step's notes); empty for a kernel without one.
  var spanNotes: String { get }
  /// The work one run does at `size` (not timed; may compute, e.g. an exact
  /// iteration count). `size` has passed `validate`.
  func work(size: Int) -> Work
  /// The hardware limit that binds this kernel (see `Ceiling`).
  var ceiling: Ceiling { get }
  /// Prepares one flavour at one size: generates input and allocates output,
  /// all outside the timed region. `size` has passed `validate`, and
  /// `notApplicable(flavour)` is nil.
  func makeWorkload(_ flavour: Flavour, size: Int) -> any Workload
}

extension Kernel {
  public var tolerance: Double { 0 }
  public var isIOBound: Bool { false }
  public var processesNotApplicable: String { "not adapted to worker processes" }
  public var spanNotApplicable: String? { nil }
  public var spanNotes: String { "" }

  /// `notes` with `span` filled in from `spanNotes`: what `explain` reads.
  public var notesWithSpan: KernelNotes {
    var all = notes
    if all.span.isEmpty { all.span = spanNotes }
    return all
  }
  public var ceiling: Ceiling { .none("no ceiling declared") }

  /// Why `flavour` does not apply to this kernel, or nil when it does.
  public func notApplicable(_ flavour: Flavour) -> String? {
    flavour.isVector ? vectorNotApplicable : flavour == .span ? spanNotApplicable : nil
  }

  /// The flavours this kernel has, in ladder order.
  public var flavours: [Flavour] { Flavour.allCases.filter { notApplicable($0) == nil } }

  /// Checks that `size` lies in `range`; the common body of `validate(size:)`.
  public func require(_ size: Int, in range: ClosedRange<Int>, _ what: String = "") throws {
    guard range.contains(size) else {
      let extra = what.isEmpty ? "" : " (\(what))"
      throw SizeError(
        kernel: name, size: size,
        reason: "\(parameter) must be in \(range.lowerBound)...\(range.upperBound)\(extra)")
    }
  }
}

// MARK: - Workload

/// One kernel × flavour × size, input prepared, ready to run many times.
public protocol Workload: AnyObject {
  /// Computes the kernel once, using `executor` for its parallel phases. This is
  /// what the harness times. Every call computes the same output from the same
  /// input (state such as nbody's positions is reset at the start of a run).
  func run(on executor: any ParallelExecutor)
  /// The output of the last `run`, in canonical form. Not timed.
  func result() -> KernelResult
}

/// A `Workload` made of two closures: how a kernel definition adapts a flavour.
public final class Cell: Workload {
  private let runBody: (any ParallelExecutor) -> Void
  private let resultBody: () -> KernelResult

  public init(
    run: @escaping (any ParallelExecutor) -> Void,
    result: @escaping () -> KernelResult
  ) {
    self.runBody = run
    self.resultBody = result
  }

  public func run(on executor: any ParallelExecutor) { runBody(executor) }
  public func result() -> KernelResult { resultBody() }
}
