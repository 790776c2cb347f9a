// `benchmark compare`: per cell new/old with the gates' noise band, cells in
// one file only, and provenance refused unless --force.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import Gates
@testable import MeasurementKit
@testable import ProcessKit
@testable import Reports

@Suite("Compare")
struct CompareTests {
  static func verdicts(_ comparison: Comparison) -> [String: Comparison.Change] {
    Dictionary(uniqueKeysWithValues: comparison.rows.map { ($0.id.kernel, $0.change) })
  }

  @Test func fasterSlowerAndSameWithinNoise() {
    let (old, new) = Fixtures.Compare.fixtures()
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
    let old = Fixtures.Results.sample([Fixtures.Compare.cell("mandelbrot", [1.0, 1.6, 0.7, 1.3, 0.8])])
    let new = Fixtures.Results.sample([Fixtures.Compare.cell("mandelbrot", [0.8, 1.3, 0.55, 1.05, 0.65])])
    let comparison = Comparison(old: old, new: new, oldPath: "a", newPath: "b")
    #expect(Self.verdicts(comparison) == ["mandelbrot": .same])
  }

  @Test func differentSettingsAreSaidNotRefused() {
    var (old, new) = Fixtures.Compare.fixtures()
    #expect(Comparison(old: old, new: new, oldPath: "a", newPath: "b").settingsDifferences.isEmpty)
    old.settings.backend = .processes
    new.settings.samples = 9
    let comparison = Comparison(old: old, new: new, oldPath: "a", newPath: "b")
    #expect(comparison.settingsDifferences == ["samples 3 → 9", "backend processes → threads"])
    #expect(comparison.text().contains("\nsettings differ: samples 3 → 9, backend processes → threads\n"))
  }

  @Test func failedOrResizedCellsAreNotComparable() {
    var failed = Fixtures.Compare.cell("mandelbrot", Fixtures.Compare.steady)
    failed.verification = CellVerification(.mismatch, "checksum differs")
    let old = Fixtures.Results.sample([failed, Fixtures.Compare.cell("sieve", Fixtures.Compare.steady)])
    let new = Fixtures.Results.sample([Fixtures.Compare.cell("mandelbrot", Fixtures.Compare.steady), Fixtures.Compare.cell("sieve", Fixtures.Compare.steady, size: 999)])
    let rows = Comparison(old: old, new: new, oldPath: "a", newPath: "b").rows
    #expect(rows.allSatisfy { $0.change == .notComparable && $0.ratio == nil })
    #expect(rows[0].reason == "failed in the old run: checksum differs")
    #expect(rows[1].reason == "size 200 in the old run, 999 in the new")
  }

  @Test func provenanceDifferencesIncludeTheSwiftVersion() {
    let here = Fixtures.Gate.here
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
}
