// Verification across cells: every cell of a kernel must compute the same answer.

import Foundation
import KernelKit

/// Marks every cell whose answer differs from its kernel's consensus; answers
/// agree within the tolerance of the kernel `catalogue` has by that name.
///
/// The consensus is the largest group of agreeing answers, preferring a group
/// that holds a cell matching the kernel's reference.
package func crossVerify(_ cells: inout [CellResult], catalogue: KernelCatalogue) {
  for name in Set(cells.map(\.id.kernel)) {
    let tolerance = catalogue.kernel(named: name)?.tolerance ?? 0
    let candidates = cells.indices.filter {
      cells[$0].id.kernel == name && cells[$0].result != nil && cells[$0].verification.passed
    }
    var groups: [[Int]] = []
    for i in candidates {
      if let g = groups.firstIndex(where: {
        cells[$0[0]].result!.agrees(with: cells[i].result!, tolerance: tolerance)
      }) {
        groups[g].append(i)
      } else {
        groups.append([i])
      }
    }
    func rank(_ group: [Int]) -> (Int, Int) {
      (group.contains { cells[$0].verification.status == .reference } ? 1 : 0, group.count)
    }
    guard let consensus = groups.max(by: { rank($0) < rank($1) }) else { continue }
    let answer = cells[consensus[0]].result!
    for group in groups where group != consensus {
      for i in group {
        cells[i].verification = CellVerification(
          .mismatch,
          "differs from the \(consensus.count) agreeing cell(s): got \(cells[i].result!), expected \(answer)")
      }
    }
    for i in consensus where cells[i].verification.status == .agreement {
      cells[i].verification.detail =
        consensus.count > 1
        ? "no reference at this size; agrees with all \(consensus.count) cells"
        : "no reference at this size and no other cell to compare with"
    }
  }
}
