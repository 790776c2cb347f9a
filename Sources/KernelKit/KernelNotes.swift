// The teaching text a kernel carries: why each rung of its ladder gains what it gains.

/// What each step of a kernel's ladder costs or buys, in a sentence or two each.
///
/// These are the kernel's documentation in a form the program can print
/// (`benchmark list`, `benchmark explain`). They describe mechanisms: what
/// each step removes or adds and why that costs or buys time. Figures come
/// from runs: `explain` prints the run's own beside these notes, and a figure
/// worth citing goes to docs/FINDINGS.md with its results file and commit
/// (NotesTests rejects a duration or a speed-up written into a note).
public struct KernelNotes: Sendable, Equatable {
  /// What the debug build pays for on this kernel (calls not inlined, ARC, checks).
  public var debug: String
  /// What the idiomatic flavour pays for in release (bounds or overflow checks,
  /// ARC, copies, hashing, exclusivity checks), or why it pays nothing.
  public var idiomatic: String
  /// What the unsafe flavour does differently and what it gives up.
  public var unsafe: String
  /// How the C flavour differs from unsafe Swift, if at all.
  public var c: String
  /// How the work splits into chunks and what limits scaling.
  public var parallel: String
  /// What the vector flavours do with their lanes and what they buy, or why
  /// the kernel has none (then the same text as `vectorNotApplicable`).
  public var vector: String
  /// What building for the host CPU (`-target-cpu native`, `-march=native`) buys.
  public var native: String

  public init(
    debug: String, idiomatic: String, unsafe: String, c: String, parallel: String,
    vector: String = "", native: String = ""
  ) {
    self.debug = debug
    self.idiomatic = idiomatic
    self.unsafe = unsafe
    self.c = c
    self.parallel = parallel
    self.vector = vector
    self.native = native
  }
}
