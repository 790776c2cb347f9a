// Notes describe mechanisms; figures come from runs. A timing written into a
// note is one machine on one day, and `explain` would print it beside the
// run's own figures long after the code changed. Figures worth keeping go to
// docs/FINDINGS.md, naming their results file and commit.

import Foundation
import KernelKit
import Testing
@testable import Kernels

@Suite("Kernel notes")
struct NotesTests {
  /// A duration: a number, perhaps a range, then a time unit (`0.19 s`, `4.3 ns`, `20–60 ms`).
  static let duration = try! NSRegularExpression(
    pattern: #"[0-9]+(?:[.,][0-9]+)?\s?(?:s|ms|µs|μs|us|ns|seconds?|milliseconds?|microseconds?|nanoseconds?)(?![\p{L}0-9])"#)
  /// A speed-up or slow-down: a number directly followed by × or x (`1.4×`, `3–4×`, `2.6x`),
  /// not a product such as `16 × 16` or a hexadecimal `0x1F`.
  static let ratio = try! NSRegularExpression(pattern: #"[0-9]+(?:\.[0-9]+)?[×x](?![\p{L}0-9])"#)

  /// The figures `text` contains, as written.
  static func figures(in text: String) -> [String] {
    let range = NSRange(text.startIndex..., in: text)
    return [duration, ratio].flatMap { pattern in
      pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }
  }

  @Test func theDetectorFindsDurationsAndSpeedUps() {
    #expect(Self.figures(in: "Swift vector 0.19 s, 1.4× C") == ["0.19 s", "1.4×"])
    #expect(Self.figures(in: "4.3 ns a node; 20–60 ms at quick size; 3–4× slower") == ["4.3 ns", "60 ms", "4×"])
    #expect(Self.figures(in: "16 × (number of depths) chunks, 8 KiB, SIMD8<Double>, x86-64, 0x1F, 16 slots").isEmpty)
  }

  /// Every note of every kernel in the catalogue, and why it has no vector or process flavour.
  @Test(arguments: catalogue.map(\.name))
  func notesCarryNoTimingFigures(name: String) {
    let kernel = catalogueKernel(name)
    let notes = kernel.notes
    let texts: [(String, String)] = [
      ("debug", notes.debug), ("idiomatic", notes.idiomatic), ("unsafe", notes.unsafe), ("c", notes.c),
      ("parallel", notes.parallel), ("vector", notes.vector), ("native", notes.native),
      ("vectorNotApplicable", kernel.vectorNotApplicable ?? ""),
    ]
    for (field, text) in texts {
      let found = Self.figures(in: text)
      #expect(found.isEmpty, "\(name).notes.\(field) quotes \(found): describe the mechanism; put figures in docs/FINDINGS.md")
    }
  }
}
