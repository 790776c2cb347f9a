// How every answer was checked, said once per kernel (its header) and once per run (its last line).

import Foundation
import KernelKit
import MeasurementKit

/// How every cell's answer was checked, summed up for a run or for one kernel.
package struct VerificationSummary: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// The checks of every cell that ran: Swift cells and the interpreted rungs
  /// that were not skipped, each as (name, status, detail).
  private func checks(kernel: String? = nil) -> [(name: String, verification: CellVerification)] {
    results.cells.filter { kernel == nil || $0.id.kernel == kernel }.map { ($0.id.description, $0.verification) }
      + (results.interpreted ?? []).filter { !$0.skipped && (kernel == nil || $0.id.kernel == kernel) }
      .map { ($0.id.description, $0.verification) }
  }

  /// The run's last line: "120 cells verified: 60 against a reference, all agree",
  /// or "FAIL: 2 of 120 cells failed: …" naming them.
  package var line: String {
    let all = checks()
    guard !all.isEmpty else { return "no cells measured" }
    let failed = all.filter { !$0.verification.passed }
    let reference = all.filter { $0.verification.status == .reference }.count
    let skipped = (results.interpreted ?? []).filter(\.skipped).count
    let skippedText = skipped == 0 ? "" : "; \(skipped) Python rung\(skipped == 1 ? "" : "s") skipped"
    // A kernel's only cell, without a reference answer, was checked against nothing.
    let lone = Set(all.map { $0.name.split(separator: "/")[0] }).filter { checks(kernel: String($0)).count == 1 }
    let unchecked = all.filter {
      $0.verification.status == .agreement && lone.contains($0.name.split(separator: "/")[0])
    }.count
    guard failed.isEmpty else {
      let verified = all.count - failed.count
      return "FAIL: \(failed.count) of \(all.count) cells failed: \(failed.map(\.name).joined(separator: ", ")); "
        + "\(verified) verified (\(reference) against a reference)\(skippedText)"
    }
    if unchecked == all.count {
      return "\(all.count) cell\(all.count == 1 ? "" : "s") unchecked: no reference answer at this size and no other cell of the kernel to compare with"
    }
    let how =
      reference == all.count
      ? "all against a reference" : reference == 0 ? "no reference at this size, all agree" : "\(reference) against a reference, all agree"
    let uncheckedText = unchecked == 0 ? "" : "; \(unchecked) unchecked (a kernel's only cell, no reference answer)"
    return "\(all.count) cell\(all.count == 1 ? "" : "s") verified: \(how)\(uncheckedText)\(skippedText)"
  }

  /// For a kernel's header: "✓ 12 cells match the reference answer".
  package func phrase(_ kernel: String) -> String {
    let all = checks(kernel: kernel)
    guard !all.isEmpty else { return "nothing measured" }
    let failed = all.filter { !$0.verification.passed }.count
    if failed > 0 { return "✗ \(failed) of \(all.count) cells FAILED" }
    let reference = all.filter { $0.verification.status == .reference }.count
    if reference == all.count { return "✓ \(cellCount(all.count)) match the reference answer" }
    if reference == 0, all.count == 1 { return "unchecked: no reference answer at this size, no other cell to compare with" }
    if reference == 0 { return "✓ \(cellCount(all.count)) agree (no reference answer at this size)" }
    return "✓ \(cellCount(all.count)) agree, \(reference) checked against the reference answer"
  }

  private func cellCount(_ n: Int) -> String { n == 1 ? "the 1 cell" : "all \(n) cells" }
}
