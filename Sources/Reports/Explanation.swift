// `benchmark explain [KERNEL]`: why each rung of a ladder gains what it gains,
// in the kernel's own documented words, filled in with one run's numbers.

import Foundation
import KernelKit
import Kernels
import MeasurementKit



// MARK: - Running


// MARK: - Texts

/// Why each rung before Swift gains over CPython on one thread; the Python
/// ones share one source, so the reasons are general.
private let pythonReasons: [Implementation: String] = [
  .cpython: """
    CPython interprets bytecode: every operation dispatches on the types of boxed objects, every \
    float and integer result is a new object, and the GIL lets one thread run Python at a time.
    """,
  .pypy: """
    PyPy runs the same source with a tracing JIT: it records the hot loop, specialises it to the \
    types it saw, unboxes floats and small integers and compiles the trace to machine code. It \
    gains most on tight numeric loops and least where the time goes to allocation or to built-ins \
    that are already C in CPython.
    """,
  .cython: """
    Cython compiles the typed `cdef` code to C: the inner loop works on C doubles and integers, with \
    no boxing and no dispatch, and releases the GIL. Where the hot loop is fully typed it runs near C \
    speed; what remains is the Python-level work around each chunk.
    """,
  .mypyc: """
    mypyc compiles the plain kernel itself (the same source, its hot functions annotated) to a C \
    extension: annotated ints and floats become unboxed C values, calls between compiled functions \
    skip the interpreter, and attribute and list accesses are specialised to the declared types. It \
    keeps Python's semantics (arbitrary-precision ints, bounds-checked lists, objects in lists), so \
    it gains most on loops of arithmetic over locals and least where the time is already in C.
    """,
  .numpy: """
    NumPy moves the loop over elements into compiled C: one call does a whole array operation on \
    unboxed doubles (and matrix products go to BLAS). It gains most where the kernel is a few large \
    array operations, and least where the array form does more work than the loop (no early exit \
    per element) or builds temporaries at every step.
    """,
  .numba: """
    Numba's @njit infers the types of the plain kernel's loops from the first call and compiles them \
    with LLVM, the back end of clang and swiftc (the compile is measured apart). On numbers in NumPy \
    arrays it can come near C; what it keeps is Python's semantics: checks for negative indices, \
    64-bit integers everywhere and no fused multiply-add.
    """,
  // The Mojo ports: a compiled language, not Python; figures come from the run.
  .mojo: """
    The Mojo port is compiled ahead of time by `mojo build` (MLIR, then LLVM) from statically \
    typed code over raw pointers: the C flavour's algorithm with Int and Float64 in registers, no \
    boxing, no bounds checks on the pointer accesses and no fused multiply-add, so it should land \
    near release C; the gap to C is what Mojo's code generation adds or saves.
    """,
  .mojoSIMD: """
    The SIMD port keeps eight doubles in a SIMD[float64, 8] with the Swift vector flavour's lanes \
    and order of operations. Mojo's SIMD type maps to LLVM vector types directly, and `mojo build` \
    targets the host CPU (its widest vectors), so it is the like of Swift's native vector build rather \
    than its baseline release build, whose SIMD8 operators LLVM must re-vectorise for SSE2.
    """,
]

/// Why a native step can be a step down, now that native is full width.
private let fullWidthReason = """
  Native compiles both languages for the CPU's full vector width (C with -mprefer-vector-width=512 \
  where the CPU has AVX-512; provenance reads back the register width each language's code uses). \
  Wider registers do not make memory faster, can lower the core's clock while they are busy, and a \
  core that splits 512-bit operations into two 256-bit halves (AMD Zen 4) gains nothing from them: \
  where this step is below 1×, that is what it shows.
  """

/// Why the tuned library beats the ladder's best cell.
private let libraryReason = """
  A tuned BLAS (the library NumPy's `a @ b` calls) blocks the product for every cache level, packs \
  panels of A and B into the order its hand-written micro-kernel reads them, and keeps a block of C \
  in registers through long runs of fused multiply-adds: it runs near the multiply-add peak, where \
  the ladder's i-k-j loops wait on memory. It picks that micro-kernel for the CPU at run time (the \
  core type above): a library that misdetects the CPU, or is told an older core type through \
  OPENBLAS_CORETYPE, runs slower kernels. Its answer is checked against matmul's exact one.
  """

/// The Mojo ports' all-thread rung.
private let mojoParallelReason = """
  The same chunks on POSIX threads started once and woken for each parallel phase (Mojo 1.2.0's \
  pip package has no `parallelize`): it scales like Swift threads where chunks are even and large, \
  and pays a wake-up and a join at every phase, which nbody and spectral-norm pay many times a run.
  """

/// Why the all-thread rungs (`parallel` mode) scale as they do.
private let parallelReasons: [Implementation: String] = [
  // Numba's `parallel=True` rung: the same implementation as one thread, another reason.
  .numba: """
    @njit(parallel=True) runs a prange over the same chunks on Numba's own threads, with no GIL in \
    compiled code, so it scales like Swift threads where chunks are even and large; each prange is a \
    fork and a join, which a kernel that needs one per step pays at every step.
    """,
  .mojo: mojoParallelReason,
  .mojoSIMD: mojoParallelReason,
]

/// Why each rung of a run's ladders gains what it gains: one kernel's
/// ladder with the reasons from its documentation (`explain KERNEL`), or each
/// step over all kernels (`explain`), filled in with the run's numbers.
package struct Explanation: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// A kernel's Python rungs, with their gain over CPython and why.
  private func pythonExplanation(of name: String) -> String {
    let ladder = InterpretedTable(results).ladder(for: name)
    guard !ladder.isEmpty else { return "" }
    let cpython = Rung.python(.cpython, .serial, workers: 1).median(of: name, in: results)
    var out = "  Before Swift: the same algorithm in Python (bench/python/)\n"
    for cell in ladder {
      let time = cell.median.map(formatSeconds) ?? (cell.notApplicable ? "n/a" : cell.skipped ? "skipped" : "FAIL")
      var line = "  " + cell.id.rung.padded(22) + time.leftPadded(10)
      if cell.id.implementation != .cpython, let base = cpython, let t = cell.median {
        line += "   \(formatRatio(base / t)) over CPython"
      }
      if cell.median == nil { line += "   " + cell.verification.detail }
      out += line + "\n"
      for comparison in mojoBeside(cell) { out += "      " + comparison + "\n" }
      let reason = (cell.id.mode == .parallel ? parallelReasons : pythonReasons)[cell.id.implementation]
      if cell.median != nil, let reason {
        out += reason.wrapped(width: 78, indent: "      ") + "\n"
      }
    }
    let debug = CellID(kernel: name, flavour: .idiomatic, build: .debug, threads: 1)
    if let base = cpython, let t = results.median(debug) {
      out += "  ↓ \(formatRatio(base / t)) CPython → Swift debug: even unoptimised, Swift is compiled to machine\n"
      out += "      code with static types: no bytecode dispatch and no boxed numbers.\n"
    }
    return out
  }

  /// A Mojo cell beside the Swift cells it mirrors, from this run: scalar
  /// against release C, SIMD against the Swift vector flavour (release and
  /// native builds) and C vectors, all threads against one.
  private func mojoBeside(_ cell: InterpretedCell) -> [String] {
    guard let t = cell.median, cell.id.implementation == .mojo || cell.id.implementation == .mojoSIMD else { return [] }
    let kernel = cell.id.kernel
    let threads = cell.id.workers
    var against: [(String, Rung)] = []
    if cell.id.implementation == .mojo {
      against = [("release·c·\(threads)", .swift(.release, .c, threads: threads))]
    } else {
      against = [
        ("release·vector·\(threads)", .swift(.release, .vector, threads: threads)),
        ("native·vector·\(threads)", .swift(.native, .vector, threads: threads)),
        ("native·c-vector·\(threads)", .swift(.native, .cVector, threads: threads)),
      ]
    }
    var lines = against.compactMap { name, rung -> String? in
      rung.median(of: kernel, in: results).map { "beside \(name) (\(formatSeconds($0))): \(formatRatio($0 / t)) its speed" }
    }
    if cell.id.mode == .parallel, let speedup = InterpretedTable(results).workerSpeedup(cell) {
      lines.append("\(threads) threads ÷ one: \(formatRatio(speedup))")
    }
    return lines
  }

  /// The reason a step gains on `kernel`, from the kernel's notes.
  private func reason(for step: LadderStep, notes: KernelNotes) -> [String] {
    Ladder.standard.step(step.kind)?.notes(notes) ?? []
  }

  private func verdict(_ gain: Double) -> String {
    switch gain {
    case ..<0.95: " — a step down: slower here"
    case ..<1.05: " — buys nothing here (a finding, not a failure)"
    default: ""
    }
  }

  /// One kernel's ladder, rung by rung, with the reason for each gain.
  package func kernel(_ name: String) -> String {
    guard let kernel = Kernels.kernel(named: name) else { return "unknown kernel \(name)" }
    let size = results.cells.first { $0.id.kernel == name }?.size.description ?? "?"
    let provenance = results.provenance
    var out = "Why each rung of \(name)'s ladder gains what it gains\n"
    out += "\(name) · \(kernel.bottleneck) · \(kernel.parameter) = \(size) · "
    out += "\(provenance.cpu), \(provenance.cores) cores · \(provenance.date)\n\n"
    out += (kernel.summary.prefix(1).uppercased() + kernel.summary.dropFirst() + ".")
      .wrapped(width: 78, indent: "") + "\n\n"
    out += pythonExplanation(of: name)
    let first = CellID(kernel: name, flavour: .idiomatic, build: .debug, threads: 1)
    out += "  " + first.rung.padded(22) + (results.median(first).map(formatSeconds) ?? "not measured").leftPadded(10)
      + "   where `swift build` and `swift run` start\n"
    var total: Double? = results.median(first)
    for step in LadderView(results).steps(for: name) {
      let from = step.fromID(name)
      let to = step.toID(name)
      let gainText: String
      if let gain = results.speedup(from: from, to: to) {
        var extra = ""
        if to.threads > 1 { extra = ", efficiency \(String(format: "%.2f", gain / Double(to.threads)))" }
        gainText = "\(formatRatio(gain)) \(step.name) (\(step.what)\(extra))\(verdict(gain))"
      } else {
        gainText = "\(step.name): not measured (\(results.cell(to)?.failed == true ? "FAIL" : "cell missing"))"
      }
      out += "  ↓ " + gainText + "\n"
      for paragraph in reason(for: step, notes: kernel.notesWithSpan) {
        out += paragraph.wrapped(width: 78, indent: "      ") + "\n"
      }
      if step.kind == .targetCPU, let gain = results.speedup(from: from, to: to), gain < 0.95 {
        out += fullWidthReason.wrapped(width: 78, indent: "      ") + "\n"
      }
      out += "  " + to.rung.padded(22) + (results.median(to).map(formatSeconds) ?? "—").leftPadded(10) + "\n"
      if results.median(to) == nil { total = nil }
    }
    if let why = kernel.vectorNotApplicable {
      out += ("  No vector rung: " + why).wrapped(width: 78, indent: "  ") + "\n"
    }
    if let start = total, let last = LadderView(results).rungs(for: name).last, let end = results.median(last) {
      out += "\n  In all: \(formatRatio(start / end)) from \(first.rung) to \(last.rung).\n"
    }
    out += ceilingExplanation(of: name, kernel: kernel)
    out += libraryExplanation(of: name)
    out += "\nSee `benchmark explain` for the rungs over all kernels."
    return out
  }

  /// The ceiling that binds the kernel and how close its best cell comes.
  private func ceilingExplanation(of name: String, kernel: any Kernel) -> String {
    if case .none(let why) = kernel.ceiling { return "\n  Ceiling: none the harness measures (\(why)).\n" }
    let rated = results.cells.filter { $0.id.kernel == name && $0.rate?.percentOfLimit != nil }
    // The fastest cell, read against its own build's and thread count's ceiling.
    guard let best = rated.max(by: { $0.rate!.value < $1.rate!.value }), let rate = best.rate
    else { return "" }
    return "\n" + ("Ceiling: \(kernel.ceiling.name). The fastest cell, \(best.id.rung), reaches "
      + "\(rate.formatted), \(formatLimitShare(rate.percentOfLimit!)) of \(rate.limit ?? "it").").wrapped(width: 78, indent: "  ")
      + "\n"
  }

  /// The tuned library beside the ladder (matmul's BLAS), and why it is faster.
  private func libraryExplanation(of name: String) -> String {
    let library = InterpretedTable(results).libraryCells(for: name)
    guard !library.isEmpty else { return "" }
    var out = "\n  Beside the ladder: the tuned library\n"
    for cell in library {
      var line = "  " + cell.id.rung.padded(22)
      guard let t = cell.median else {
        out += line + (cell.skipped ? "skipped" : "FAIL").leftPadded(10) + "   " + cell.verification.detail + "\n"
        continue
      }
      line += formatSeconds(t).leftPadded(10)
      if let (id, best) = InterpretedTable(results).bestSwiftMedian(name, threads: cell.id.workers) {
        line += "   \(formatRatio(best / t)) over \(id.rung)"
      }
      if let rate = results.libraryRate(cell, catalogue: catalogue) {
        line += "; \(rate.formatted)" + (rate.percentOfLimit.map { ", \(formatLimitShare($0)) of the peak" } ?? "")
      }
      out += line + "\n"
      out += ("      " + cell.ranOn).wrapped(width: 78, indent: "      ") + "\n"
    }
    if library.contains(where: { $0.median != nil }) {
      out += libraryReason.wrapped(width: 78, indent: "      ") + "\n"
    }
    return out
  }

  /// One screen: each step's gain over all kernels and why it gains.
  package var overview: String {
    let provenance = results.provenance
    var out = "Why each rung gains what it gains · \(results.kernels.count) kernels · "
    out += "\(provenance.cpu), \(provenance.cores) cores · \(provenance.date)\n"
    for summary in LadderView(results).compounding where !summary.gains.isEmpty {
      out += "\n  \(summary.name) · \(formatRatio(summary.geometricMean)) geometric mean · \(summary.what)\n"
      if let least = summary.least, let most = summary.most {
        var range = "Least on \(least.kernel) \(formatRatio(least.gain)), most on \(most.kernel) \(formatRatio(most.gain))"
        if !summary.buysNothingOn.isEmpty {
          range += "; buys nothing (< 1.05×) on \(summary.buysNothingOn.joined(separator: ", "))"
        }
        out += (range + ".").wrapped(width: 78, indent: "    ") + "\n"
      }
      out += (Ladder.standard.step(summary.kind)?.reason ?? "").wrapped(width: 78, indent: "    ") + "\n"
    }
    let python = PythonComparisons(results).comparisons
    if !python.isEmpty {
      out += "\n  Beside Python (× over CPython on one core, geometric mean over kernels)\n"
      for comparison in python {
        out += "    " + comparison.name.padded(14) + formatRatio(comparison.geometricMean).leftPadded(8)
          + "   " + comparison.what + "\n"
      }
      for implementation in Implementation.python.dropFirst() {
        out += (pythonReasons[implementation] ?? "").wrapped(width: 78, indent: "    ") + "\n"
      }
    }
    out += "\nRun `benchmark explain KERNEL` for the reasons on one kernel (kernels: \(results.kernels.joined(separator: ", ")))."
    return out
  }
}

extension String {
  /// The text broken at spaces into lines of at most `width` columns, each prefixed by `indent`.
  func wrapped(width: Int, indent: String) -> String {
    var lines: [String] = []
    var line = indent
    for word in split(separator: " ", omittingEmptySubsequences: true) {
      if line.count > indent.count && line.count + 1 + word.count > width {
        lines.append(line)
        line = indent
      }
      line += (line.count > indent.count ? " " : "") + word
    }
    if line.count > indent.count { lines.append(line) }
    return lines.joined(separator: "\n")
  }
}
