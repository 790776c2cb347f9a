// Verification said aloud: a line per run, a phrase in each kernel's header.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Reports

@Suite("Verification summary")
struct VerificationTests {
  static func cell(_ kernel: String, _ flavour: Flavour, _ status: CellVerification.Status) -> CellResult {
    var cell = Fixtures.Results.cell(flavour, .release, median: 0.01)
    cell.id.kernel = kernel
    cell.verification = CellVerification(status, status == .reference ? "= reference" : "agrees")
    return cell
  }

  @Test func allAgreeWithSomeAgainstAReference() {
    let results = Fixtures.Results.sample([
      Self.cell("mandelbrot", .c, .reference), Self.cell("mandelbrot", .unsafe, .reference),
      Self.cell("sieve", .c, .agreement), Self.cell("sieve", .unsafe, .agreement),
    ])
    #expect(VerificationSummary(results).line == "4 cells verified: 2 against a reference, all agree")
    #expect(VerificationSummary(results).phrase("mandelbrot") == "✓ all 2 cells match the reference answer")
    #expect(VerificationSummary(results).phrase("sieve") == "✓ all 2 cells agree (no reference answer at this size)")
    #expect(TextTable(results).text.contains("= 200 — limit: multiply-add peak — ✓ all 2 cells match the reference answer\n"))
    // The kernel line names the ceiling its limit column reads against.
    #expect(TextTable(results).text.contains("— limit: none (strided byte stores: no measured ceiling) — ✓ all 2 cells agree"))
  }

  @Test func failuresAreNamed() {
    var results = Fixtures.Results.sample([
      Self.cell("mandelbrot", .c, .reference), Self.cell("mandelbrot", .unsafe, .mismatch),
    ])
    #expect(VerificationSummary(results).line == "FAIL: 1 of 2 cells failed: mandelbrot/release/unsafe/1; 1 verified (1 against a reference)")
    #expect(VerificationSummary(results).phrase("mandelbrot") == "✗ 1 of 2 cells FAILED")
    results.cells.removeLast()
    #expect(VerificationSummary(results).line == "1 cell verified: all against a reference")
    results.cells = [Self.cell("sieve", .c, .agreement)]
    #expect(VerificationSummary(results).line == "1 cell unchecked: no reference answer at this size and no other cell of the kernel to compare with")
    #expect(VerificationSummary(results).phrase("sieve") == "unchecked: no reference answer at this size, no other cell to compare with")
    results.cells += [Self.cell("mandelbrot", .c, .reference), Self.cell("mandelbrot", .unsafe, .reference)]
    #expect(VerificationSummary(results).line == "3 cells verified: 2 against a reference, all agree; 1 unchecked (a kernel's only cell, no reference answer)")
    results.cells = []
    #expect(VerificationSummary(results).line == "no cells measured")
  }
}
