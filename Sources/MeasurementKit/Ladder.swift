// The ladder: the rungs a kernel climbs, in order, the step between each two
// and the thread count "all cores" means. This is its one definition: the
// worker's sampling plan, the run plan, the reports and `explain` all read it.

import KernelKit

// MARK: - Steps

/// What a step of the ladder changes. The order of the cases is the order the
/// steps are climbed; `Ladder.standard` says everything else about each.
package enum StepKind: Int, CaseIterable, Sendable, Comparable {
  case compiler, representation, safetyChecks, c, vectors, targetCPU, cores

  package static func < (a: StepKind, b: StepKind) -> Bool { a.rawValue < b.rawValue }
}

/// One step of one kernel's ladder: from one configuration to the next.
package struct LadderStep: Sendable {
  package var kind: StepKind
  /// The step's name in tables: `compiler`, `C`, `target CPU`, `2 cores`.
  package var name: String
  /// What it changes on this kernel: `release → native, C vector, 1 thread`.
  package var what: String
  package var from: Ladder.Rung
  package var to: Ladder.Rung

  package func fromID(_ kernel: String) -> CellID { Ladder.id(kernel, from) }
  package func toID(_ kernel: String) -> CellID { Ladder.id(kernel, to) }
}

// MARK: - The ladder

/// The rungs every kernel climbs: a first rung, then steps that each change
/// one thing about the rung below (the build, the flavour or the threads).
///
/// A step is either always on the ladder (a report shows its rung as missing
/// when its cell was not measured) or only where its cell was measured: then
/// it is left out and the climb goes on from the rung below, so the next step
/// starts from there (no C vector flavour: release C goes straight to native C).
/// A step that would change nothing (all cores on a run of one thread) is left out.
///
/// Adding a flavour or a build to the ladder is one entry in `standard`
/// (and its `StepKind` case).
package struct Ladder: Sendable {
  /// A configuration on the ladder: build, flavour and thread count.
  package typealias Rung = (Build, Flavour, threads: Int)

  /// What a step changes in the rung below it.
  package enum Change: Sendable {
    case build(Build)
    case flavour(Flavour)
    /// One thread → the run's top thread count (`topThreads`).
    case allThreads
  }

  /// Whether a step's rung stays on the ladder when its cell was not measured.
  package enum Presence: Sendable {
    /// Always on the ladder; reports show its rung as missing.
    case always
    /// Left out when its cell is absent or skipped; the climb goes on from the rung below.
    case whereMeasured
  }

  /// Everything the harness knows about one kind of step.
  package struct Step: Sendable {
    package var kind: StepKind
    package var change: Change
    package var presence: Presence
    /// Its name in tables, given the top thread count: `compiler`, `C`, `2 cores`.
    package var name: @Sendable (_ topThreads: Int) -> String
    /// What it changes, over every kernel that has it (the compounding summary).
    package var summary: String
    /// What it changes on one kernel's ladder, given the two rungs.
    package var what: @Sendable (_ from: Rung, _ to: Rung) -> String
    /// Why the step gains, in general (`explain`'s overview).
    package var reason: String
    /// Why it gains on one kernel: the kernel's notes, each with its lead-in (`explain KERNEL`).
    package var notes: @Sendable (KernelNotes) -> [String]

    /// `what` defaults to the summary, for a step whose rungs are the same on every kernel.
    init(
      kind: StepKind, change: Change, presence: Presence, name: @escaping @Sendable (_ topThreads: Int) -> String,
      summary: String, what: (@Sendable (_ from: Rung, _ to: Rung) -> String)? = nil, reason: String,
      notes: @escaping @Sendable (KernelNotes) -> [String]
    ) {
      self.kind = kind
      self.change = change
      self.presence = presence
      self.name = name
      self.summary = summary
      self.what = what ?? { _, _ in summary }
      self.reason = reason
      self.notes = notes
    }
  }

  /// The first rung, where `swift build` and `swift run` start.
  package var start: Rung
  /// The steps, in the order they are climbed.
  package var steps: [Step]

  /// The ladder of every kernel: debug idiomatic 1 → release idiomatic 1 →
  /// release span 1 → release unsafe 1 → release C 1 → (release C vectors 1, where the kernel
  /// has a vector flavour) → (native, where that build was made) → all cores.
  package static let standard = Ladder(
    start: (.debug, .idiomatic, threads: 1),
    steps: [
      Step(
        kind: .compiler, change: .build(.release), presence: .always, name: { _ in "compiler" },
        summary: "debug → release, idiomatic, 1 thread",
        reason: """
          A debug build (-Onone) keeps every abstraction as a real call: Array subscripts, iterators, \
          closures, generic functions, retain/release pairs and exclusivity checks. Release (-O with \
          whole-module optimisation) inlines them, specialises generics, removes most reference counting \
          and hoists or removes bounds checks. The gain is largest where idiomatic code leans on \
          abstractions and smallest where the time goes to memory or malloc, which no flag removes.
          """,
        notes: { ["Debug: " + $0.debug] }),
      Step(
        kind: .representation, change: .flavour(.span), presence: .always, name: { _ in "representation" },
        summary: "idiomatic → span Swift, release, 1 thread",
        reason: """
          What release idiomatic Swift still pays beyond bounds checks: allocation and reference counting \
          for class instances, nested and temporary arrays, copy-on-write checks, hashing through the \
          standard Hasher, a byte where a bit would do. The span flavour takes the unsafe flavour's \
          representation (flat storage, structure of arrays, bit arrays, arenas, open-addressing tables) \
          and keeps every access checked: Span, MutableSpan and InlineArray, no unsafe construct.
          """,
        notes: {
          ["Idiomatic pays: " + $0.idiomatic, "Unsafe, whose representation span keeps with every access checked: " + $0.unsafe]
        }),
      Step(
        kind: .safetyChecks, change: .flavour(.unsafe), presence: .always, name: { _ in "safety checks" },
        summary: "span → unsafe Swift, release, 1 thread",
        reason: """
          The same representation, loops and wrapping arithmetic, with the bounds checks that the optimiser \
          could not remove from the span flavour taken out by hand: unsafe pointers. Where the optimiser \
          proved every index in range, or hoisted the check out of the loop, the step buys nothing; where \
          an index depends on data (a hash slot, a tree node, a permutation entry) the check stays, and \
          its compare-and-branch, and sometimes a lost vectorisation, is what the step buys. \
          `benchmark explain KERNEL` counts the checks left in the compiled code (bench/span-checks.sh).
          """,
        notes: { [$0.span.isEmpty ? $0.unsafe : "Span keeps: " + $0.span] }),
      Step(
        kind: .c, change: .flavour(.c), presence: .always, name: { _ in "C" },
        summary: "unsafe Swift → C, release, 1 thread",
        reason: """
          Unsafe Swift and C11 reach the same LLVM back end (swiftc -O, clang -O2). With the same \
          algorithm and data layout they should take the same time: a gain here is something Swift still \
          left in; a loss is something Swift's optimiser found that clang's -O2 did not.
          """,
        notes: { [$0.c] }),
      Step(
        kind: .vectors, change: .flavour(.cVector), presence: .whereMeasured, name: { _ in "vectors" },
        summary: "scalar C → C vector extensions, release, 1 thread",
        reason: """
          Explicit vectors put several independent lanes in flight: eight pixels, four bodies or eight \
          matrix entries per operation. That divides the instruction count, and for a loop-carried chain \
          such as an escape-time iteration it also hides floating-point latency, which a scalar loop \
          cannot. Built for baseline x86-64 the lanes map to 16-byte SSE2 registers, so much of the gain \
          waits for the next step.
          """,
        notes: { [$0.vector] }),
      Step(
        kind: .targetCPU, change: .build(.native), presence: .whereMeasured, name: { _ in "target CPU" },
        summary: "baseline x86-64 → this CPU's instructions, 1 thread",
        what: { from, to in "\(from.0.rawValue) → \(to.0.rawValue), \(to.1.displayName), 1 thread" },
        reason: """
          -target-cpu native and -march=native let the compilers use this CPU's instructions: wider \
          vectors (AVX2, AVX-512) and fused multiply-add. Scalar code rarely gains; vector code gains most. \
          Swift's SIMD types need it most: the standard library's floating-point SIMD operators are element \
          loops that LLVM must re-vectorise (swiftlang/swift pull request 78744), which it does well only \
          when the target has the instructions.
          """,
        notes: { [$0.native] }),
      Step(
        kind: .cores, change: .allThreads, presence: .always, name: { "\($0) cores" },
        summary: "1 → all threads, the top flavour and build",
        what: { from, to in "\(from.threads) → \(to.threads) threads, \(to.0.rawValue) \(to.1.displayName)" },
        reason: """
          Real threads run at once in Swift, unlike CPython threads under the GIL. The harness owns them \
          and hands out chunks dynamically; speed-up falls short of the core count when chunks are \
          uneven, when each step needs a barrier, or when memory bandwidth rather than the cores is the limit.
          """,
        notes: { [$0.parallel] }),
    ])

  /// The definition of a kind of step.
  package func step(_ kind: StepKind) -> Step? { steps.first { $0.kind == kind } }

  /// "All cores" on the ladder: the largest thread count measured that the
  /// machine's cores can run at once (a sweep's 2 × cores oversubscribes),
  /// when more than one was; otherwise the largest measured.
  package static func topThreads(measured threads: [Int], cores: Int) -> Int {
    let within = threads.filter { $0 <= cores }
    return within.count > 1 ? within.max() ?? 1 : (threads.max() ?? 1)
  }

  /// A kernel's steps, bottom to top, in a run whose top thread count is
  /// `topThreads`; `isMeasured` says whether a cell was measured and not skipped.
  package func steps(of kernel: String, topThreads: Int, isMeasured: (CellID) -> Bool) -> [LadderStep] {
    var below = start
    var out: [LadderStep] = []
    for step in steps {
      var rung = below
      switch step.change {
      case .build(let build): rung.0 = build
      case .flavour(let flavour): rung.1 = flavour
      case .allThreads: rung.threads = topThreads
      }
      guard rung != below else { continue }
      if step.presence == .whereMeasured && !isMeasured(Self.id(kernel, rung)) { continue }
      out.append(
        LadderStep(kind: step.kind, name: step.name(topThreads), what: step.what(below, rung), from: below, to: rung))
      below = rung
    }
    return out
  }

  /// The cells of a kernel's ladder, bottom to top (`steps(of:…)`'s rungs after the first).
  package func rungs(of kernel: String, topThreads: Int, isMeasured: (CellID) -> Bool) -> [CellID] {
    [Self.id(kernel, start)] + steps(of: kernel, topThreads: topThreads, isMeasured: isMeasured).map { $0.toID(kernel) }
  }

  package static func id(_ kernel: String, _ rung: Rung) -> CellID {
    CellID(kernel: kernel, flavour: rung.1, build: rung.0, threads: rung.threads)
  }
}
