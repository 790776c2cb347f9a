import Foundation
import TestSupport
import Testing
import KernelKit
import Kernels
@testable import CLI
@testable import Gates
@testable import Interpreters
@testable import Lessons
@testable import MeasurementKit
@testable import Reports
@testable import Workers

@Suite("Explain")
struct ExplainTests {
  /// The vector and target-CPU rungs are explained from the kernel's `vector`
  /// and `native` notes; a kernel without vectors says why.
  @Test func vectorAndTargetCPURungsAreExplained() throws {
    let climbing = Fixtures.Results.sample([
      Fixtures.Results.cell(.c, .release, median: 0.05),
      Fixtures.Results.cell(.cVector, .release, median: 0.025),
      Fixtures.Results.cell(.cVector, .native, median: 0.01),
    ])
    let text = Explanation(climbing).kernel("mandelbrot").replacingOccurrences(of: "\n      ", with: " ")
    let notes = try #require(kernel(named: "mandelbrot")).notes
    #expect(text.contains("2.00× vectors") && text.contains("2.50× target CPU"))
    for note in [notes.vector, notes.native] {
      #expect(text.contains(note.split(separator: " ").prefix(4).joined(separator: " ")))
    }
    let sieve = try #require(kernel(named: "sieve"))
    let why = try #require(sieve.vectorNotApplicable)
    let sieveText = Explanation(climbing).kernel("sieve").replacingOccurrences(of: "\n  ", with: " ")
    #expect(sieveText.contains("No vector rung: " + why.split(separator: " ").prefix(4).joined(separator: " ")))
  }

  @Test func kernelExplanationWalksTheLadderWithItsNotes() throws {
    let text = Explanation(Fixtures.Explain.results).kernel("mandelbrot")
    let notes = try #require(kernel(named: "mandelbrot")).notesWithSpan
    for rung in LadderView(Fixtures.Explain.results).rungs(for: "mandelbrot").map(\.rung) {
      #expect(text.contains(rung))
    }
    #expect(text.contains("10.0× compiler"))
    #expect(text.contains("1.25× representation"))
    #expect(text.contains("1.60× safety checks"))
    #expect(text.contains("1.00× C"))
    #expect(text.contains("buys nothing here"))
    #expect(text.contains("efficiency 1.00"))
    #expect(text.contains("In all: 40.0×"))
    // Each step's reason comes from the kernel's documentation (first words, before wrapping).
    #expect(!notes.span.isEmpty)
    for note in [notes.debug, notes.idiomatic, notes.unsafe, notes.span, notes.c, notes.parallel] {
      let opening = note.split(separator: " ").prefix(3).joined(separator: " ")
      #expect(text.replacingOccurrences(of: "\n      ", with: " ").contains(opening))
    }
  }

  /// bench/span-checks.sh's lines become explain's count: bounds checks on
  /// accesses inside loops, per flavour; a `for` line's range check (which
  /// the unsafe flavour has too), a precondition and other files do not count.
  @Test func spanChecksCountBoundsChecksInsideLoops() {
    let tsv = [
      "span\tMatMul.swift\tSpans.matmulRows\tindex out of bounds\t24\t2\t3\t1\tfor j in 0..<n { c[ci + j] += x }",
      "span\tMatMul.swift\tSpans.matmulRows\tindex out of bounds\t17\t1\t2\t0\tfor i in lo..<hi {",
      "span\tMatMul.swift\tSpans.matmulRows\tindex out of bounds\t22\t1\t2\t0\tlet aik = ai[k]",
      "span\tMatMul.swift\tSpans.matmulRows\tindex range out of bounds\t18\t1\t0\t0\tlet ai = a.extracting(r)",
      "span\tMatMul.swift\tSpans.matmulRows\tprecondition failure\t15\t1\t0\t0\tprecondition(ok)",
      "span\tTriad.swift\tSpans.triad\tindex out of bounds\t15\t1\t1\t1\ta[i] = b[i]",
      "unsafe\tMatMul.swift\tUnsafe.matmulRows\tindex out of bounds\t15\t1\t2\t1\tfor i in lo..<hi {",
      "not a line",
    ].joined(separator: "\n")
    let sites = SpanChecks.parse(tsv)
    #expect(sites.count == 7)
    #expect(sites.filter(\.isBoundsCheck).map(\.line) == [24, 22, 18, 15])
    let text = SpanChecks.summary(sites, file: "MatMul.swift", binary: "worker")
    #expect(sites.first?.innermost == true && sites.last?.innermost == true && sites[1].innermost == false)
    #expect(text.contains("span: 3 traps inside loops, 1 check outside them"), "\(text)")
    #expect(text.contains("MatMul.swift:24 (loop depth 3) for j in 0..<n { c[ci + j] += x }"), "\(text)")
    #expect(text.contains("MatMul.swift:22 (loop depth 2) let aik = ai[k]"), "\(text)")
    #expect(text.contains("unsafe: 0 traps inside loops\n"), "\(text)")
    #expect(!text.contains("Triad.swift"))
  }

  @Test func missingCellsAreNamedNotInvented() {
    let partial = Fixtures.Results.sample([Fixtures.Results.cell(.idiomatic, .debug, median: 1.0)])
    let text = Explanation(partial).kernel("mandelbrot")
    #expect(text.contains("compiler: not measured (cell missing)"))
    #expect(!text.contains("In all"))
  }

  @Test func overviewSummarisesEveryStep() {
    let text = Explanation(Fixtures.Explain.results).overview.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    for step in ["compiler · 10.0×", "representation · 1.25×", "safety checks · 1.60×", "C · 1.00×", "2 cores · 2.00×", "Least on mandelbrot 10.0×"] {
      #expect(text.contains(step))
    }
    #expect(text.contains("buys nothing (< 1.05×) on mandelbrot"))
  }

  @Test func pythonRungsComeFirstWhenMeasured() {
    let results = Fixtures.Interpreter.fullLadder()  // CPython 10 s, PyPy 2 s, Cython 0.5 s, debug 1 s
    let text = Explanation(results).kernel("mandelbrot")
    let order = ["cpython·1", "pypy·1", "cython·1", "debug·idiomatic·1", "release·c·2"].map {
      text.range(of: $0)?.lowerBound
    }
    #expect(order.allSatisfy { $0 != nil })
    #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    #expect(text.contains("5.00× over CPython"))  // PyPy
    #expect(text.contains("20.0× over CPython"))  // Cython
    #expect(text.contains("10.0× CPython → Swift debug"))
    #expect(text.contains("tracing JIT"))
    let overview = Explanation(results).overview
    #expect(overview.contains("Beside Python"))
    #expect(overview.contains("PyPy"))
  }

  @Test func wrappingKeepsWordsAndWidth() {
    let text = String(repeating: "word ", count: 40)
    let wrapped = text.wrapped(width: 30, indent: "  ")
    #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 30 && $0.hasPrefix("  ") })
    #expect(wrapped.split(whereSeparator: \.isWhitespace).count == 40)
  }

  // MARK: - Command line

  @Test func parsesKernelAndFrom() throws {
    let options = try parsed(["explain", "nqueens", "--from", "/dev/null", "--size", "tiny"], as: Command.Explain.self)
    #expect(options.kernel == "nqueens")
    #expect(options.from == "/dev/null")
    #expect(options.measurement.kernels == ["nqueens"])
    #expect(options.measurement.size == .tiny)
  }
}
