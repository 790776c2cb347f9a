// `benchmark compare`: per cell new/old with the gates' noise band, cells in
// one file only, and provenance refused unless --force.

import Foundation
import KernelKit
import Testing
@testable import CLI
@testable import Gates
@testable import MeasurementKit
@testable import Reports

@Suite("Compare")
struct CompareTests {
  static func cell(_ kernel: String, _ samples: [Double], size: Int = 200) -> CellResult {
    var cell = ResultsTests.cell(.c, .release, median: samples[0])
    cell.id.kernel = kernel
    cell.size = size
    cell.samples = samples
    cell.cpuSamples = samples
    cell.statistics = SampleStatistics(samples)
    return cell
  }

  static let steady = [1.0, 1.01, 0.99, 1.0, 1.0]
  static func scaled(_ factor: Double) -> [Double] { steady.map { $0 * factor } }

  /// Old and new runs: mandelbrot 20% faster, nqueens 30% slower, sieve the
  /// same but for 1%, nbody only in old, triad only in new.
  static func fixtures() -> (old: RunResults, new: RunResults) {
    let old = ResultsTests.sample([
      cell("mandelbrot", steady), cell("nqueens", steady), cell("sieve", steady), cell("nbody", steady),
    ])
    let new = ResultsTests.sample([
      cell("mandelbrot", scaled(0.8)), cell("nqueens", scaled(1.3)), cell("sieve", scaled(1.01)),
      cell("triad", steady),
    ])
    return (old, new)
  }

  static func verdicts(_ comparison: Comparison) -> [String: Comparison.Change] {
    Dictionary(uniqueKeysWithValues: comparison.rows.map { ($0.id.kernel, $0.change) })
  }

  @Test func fasterSlowerAndSameWithinNoise() {
    let (old, new) = Self.fixtures()
    let comparison = Comparison(old: old, new: new, oldPath: "old.json", newPath: "new.json")
    #expect(Self.verdicts(comparison) == ["mandelbrot": .faster, "nqueens": .slower, "sieve": .same])
    let mandelbrot = comparison.rows.first { $0.id.kernel == "mandelbrot" }!.ratio!
    #expect(abs(mandelbrot.value - 0.8) < 1e-9 && mandelbrot.low < 0.8 && mandelbrot.high > 0.8)
    #expect(comparison.onlyInOld.map(\.kernel) == ["nbody"])
    #expect(comparison.onlyInNew.map(\.kernel) == ["triad"])
    #expect(comparison.summary == "3 cells compared: 1 faster · 1 slower · 1 same within noise · 1 only in old.json · 1 only in new.json")
  }

  /// A wide spread widens the band: the same 20% gain is no longer a verdict.
  @Test func scatteredSamplesAreSameWithinNoise() {
    let old = ResultsTests.sample([Self.cell("mandelbrot", [1.0, 1.6, 0.7, 1.3, 0.8])])
    let new = ResultsTests.sample([Self.cell("mandelbrot", [0.8, 1.3, 0.55, 1.05, 0.65])])
    let comparison = Comparison(old: old, new: new, oldPath: "a", newPath: "b")
    #expect(Self.verdicts(comparison) == ["mandelbrot": .same])
  }

  @Test func differentSettingsAreSaidNotRefused() {
    var (old, new) = Self.fixtures()
    #expect(Comparison(old: old, new: new, oldPath: "a", newPath: "b").settingsDifferences.isEmpty)
    old.settings.backend = .processes
    new.settings.samples = 9
    let comparison = Comparison(old: old, new: new, oldPath: "a", newPath: "b")
    #expect(comparison.settingsDifferences == ["samples 3 → 9", "backend processes → threads"])
    #expect(comparison.text().contains("\nsettings differ: samples 3 → 9, backend processes → threads\n"))
  }

  @Test func failedOrResizedCellsAreNotComparable() {
    var failed = Self.cell("mandelbrot", Self.steady)
    failed.verification = CellVerification(.mismatch, "checksum differs")
    let old = ResultsTests.sample([failed, Self.cell("sieve", Self.steady)])
    let new = ResultsTests.sample([Self.cell("mandelbrot", Self.steady), Self.cell("sieve", Self.steady, size: 999)])
    let rows = Comparison(old: old, new: new, oldPath: "a", newPath: "b").rows
    #expect(rows.allSatisfy { $0.change == .notComparable && $0.ratio == nil })
    #expect(rows[0].reason == "failed in the old run: checksum differs")
    #expect(rows[1].reason == "size 200 in the old run, 999 in the new")
  }

  @Test func provenanceDifferencesIncludeTheSwiftVersion() {
    let here = GateTests.here
    #expect(Comparison.provenanceDifference(old: here, new: here) == nil)
    var other = here
    other.swiftVersion = "Swift version 6.2"
    #expect(Comparison.provenanceDifference(old: other, new: here) == "Swift version differs (old 'Swift version 6.2', new '6.3.1')")
    other = here
    other.cores = 8
    #expect(Comparison.provenanceDifference(old: other, new: here) == "core count differs (old 8, new 2)")
  }

  @Test func commandLine() throws {
    let plain = try parsed(["compare", "a.json", "b.json"], as: Command.Compare.self)
    #expect((plain.old, plain.new, plain.force, plain.format) == ("a.json", "b.json", false, .table))
    for arguments in [
      ["compare", "a.json", "b.json", "--force", "--format", "markdown"],
      ["compare", "a.json", "b.json", "--format=markdown", "--force"],
    ] {
      let options = try parsed(arguments, as: Command.Compare.self)
      #expect((options.old, options.new, options.force, options.format) == ("a.json", "b.json", true, .markdown))
    }
    #expect(throws: UsageError.self) { try Command.parse(["compare", "a.json"]) }
    #expect(throws: UsageError.self) { try Command.parse(["compare", "a.json", "b.json", "c.json"]) }
    #expect(throws: UsageError.self) { try Command.parse(["compare", "a.json", "b.json", "--format", "csv"]) }
    #expect(throws: UsageError.self) { try Command.parse(["compare", "a.json", "b.json", "--kernels", "x"]) }
  }

  // MARK: - The binary

  static func write(_ results: RunResults, _ name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try results.json().write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func compareTwoSavedRuns() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (old, new) = Self.fixtures()
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
    var (old, new) = Self.fixtures()
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
    let (old, _) = Self.fixtures()
    let a = try Self.write(old, "old.json", in: folder)
    try Data("{ truncated".utf8).write(to: folder.appendingPathComponent("bad.json"))
    let outcome = try runBenchmark(["compare", a, folder.appendingPathComponent(name).path])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(outcome.standardError.hasPrefix("error: compare: ") && outcome.standardError.contains(message))
  }
}
