// The fuzzers' corpus replayed (not fuzzed): every seed and every minimized
// crasher in Tests/Corpus/<target> goes through the same entry the libFuzzer
// binary calls, so a fixed crash stays fixed. See bench/FUZZING.md.

import Foundation
import Testing
@testable import FuzzTargets

@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpus")

  static func inputs(_ target: ParserTarget) -> [URL] {
    let folder = corpus.appendingPathComponent(target.rawValue)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { folder.appendingPathComponent($0) }
  }

  /// Each input is accepted, or rejected with one line (naming the file where
  /// the parser reads one); a crash ends the test run, which fails it too.
  @Test(arguments: ParserTarget.allCases)
  func everyCorpusFileIsAcceptedOrRejectedInOneLine(_ target: ParserTarget) throws {
    let inputs = Self.inputs(target)
    #expect(inputs.count >= 3, "Tests/Corpus/\(target.rawValue) should hold seeds")
    var verdicts: [ParserVerdict] = []
    for input in inputs {
      let verdict = target.feed(try Data(contentsOf: input))
      if case .broken(let why) = verdict { Issue.record("\(input.lastPathComponent): \(why)") }
      verdicts.append(verdict)
    }
    // The seeds reach past the first check: some are accepted, and (where a
    // parser can say no) some are rejected.
    #expect(verdicts.contains(.accepted), "no seed of \(target.rawValue) is accepted")
    if target != .workerEvents {
      #expect(verdicts.contains { if case .rejected = $0 { true } else { false } }, "no seed is rejected")
    }
  }

  @Test func theOneLineRule() {
    #expect(ParserTarget.problem(with: "f.json: line 3: not valid JSON", naming: "f.json") == nil)
    #expect(ParserTarget.problem(with: "line 3: not valid JSON", naming: "f.json") != nil)
    #expect(ParserTarget.problem(with: "f.json: two\nlines", naming: "f.json") != nil)
    #expect(ParserTarget.problem(with: "", naming: nil) != nil)
  }

  @Test func aMultiLineRejectionIsBroken() {
    // rung.py's stray output quoted in a cell's detail must stay on one line.
    var input = Data("0".utf8)
    input.append(Data("not json\nTraceback (most recent call last):\n".utf8))
    guard case .rejected(let detail) = ParserTarget.pythonRung.feed(input) else {
      Issue.record("expected a one-line rejection, got \(ParserTarget.pythonRung.feed(input))")
      return
    }
    #expect(detail.contains("not json"))
  }
}
