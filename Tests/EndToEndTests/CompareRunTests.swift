// `benchmark compare` through the built binary: two saved runs, provenance
// refused unless --force, unreadable files.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit

@Suite("Compare: the binary")
struct CompareRunTests {
  static func write(_ results: RunResults, _ name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try results.json().write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func compareTwoSavedRuns() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (old, new) = Fixtures.Compare.fixtures()
    let a = try Self.write(old, "old.json", in: folder)
    let b = try Self.write(new, "new.json", in: folder)
    let outcome = try runBenchmark(["compare", a, b])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let lines = outcome.standardOutput.split(separator: "\n")
    #expect(lines.contains { $0.contains("mandelbrot/release/c/1") && $0.contains("0.80× (0.78–0.82)") && $0.hasSuffix("faster") })
    #expect(lines.contains { $0.contains("nqueens/release/c/1") && $0.contains("1.30× (") && $0.hasSuffix("slower") })
    #expect(lines.contains { $0.contains("sieve/release/c/1") && $0.hasSuffix("same within noise") })
    #expect(lines.contains { $0 == "only in \(a): nbody/release/c/1" })
    #expect(lines.contains { $0 == "only in \(b): triad/release/c/1" })
    #expect(outcome.standardError.isEmpty)  // nothing measured

    let json = try runBenchmark(["compare", a, b, "--format", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
    let cells = document?["cells"] as? [[String: Any]] ?? []
    #expect(cells.compactMap { $0["verdict"] as? String }.sorted() == ["faster", "same", "slower"])
    #expect(document?["onlyInOld"] as? [String] == ["nbody/release/c/1"])
  }

  @Test func mismatchedProvenanceIsRefusedUnlessForced() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var (old, new) = Fixtures.Compare.fixtures()
    old.provenance.cpu = "Imaginary CPU 9000"
    let a = try Self.write(old, "old.json", in: folder)
    let b = try Self.write(new, "new.json", in: folder)
    let refused = try runBenchmark(["compare", a, b])
    #expect(refused.status == 2)
    #expect(refused.standardOutput.isEmpty)
    #expect(refused.standardError.split(separator: "\n") == [
      "error: compare: CPU model differs (old 'Imaginary CPU 9000', new 'Test CPU'); pass --force to compare anyway"
    ])
    let forced = try runBenchmark(["compare", a, b, "--force"])
    #expect(forced.status == 0)
    #expect(forced.standardOutput.contains("1 faster · 1 slower"))
  }

  @Test(arguments: [("missing.json", "no such file"), ("bad.json", "not valid JSON (truncated?)")])
  func unreadableFileIsOneLineAndExitTwo(name: String, message: String) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (old, _) = Fixtures.Compare.fixtures()
    let a = try Self.write(old, "old.json", in: folder)
    try Data("{ truncated".utf8).write(to: folder.appendingPathComponent("bad.json"))
    let outcome = try runBenchmark(["compare", a, folder.appendingPathComponent(name).path])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(outcome.standardError.hasPrefix("error: compare: ") && outcome.standardError.contains(message))
  }
}
