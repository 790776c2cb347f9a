// `explain KERNEL`'s count of the bounds checks the optimiser left in the
// span flavour, read from the release build's compiled code.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit
import Workers

/// The checks left in a kernel's span and unsafe chunk functions, as
/// bench/span-checks.sh reads them from a release binary: one trap
/// instruction per check, its reason, its source line and the loop depth of
/// the branch that reaches it.
enum SpanChecks {
  /// One line of bench/span-checks.sh's output.
  struct Site: Equatable {
    var flavour: String
    var file: String
    var function: String
    var reason: String
    var line: Int
    var traps: Int
    /// How many loops the branch to the trap lies in (nil: no branch found).
    var depth: Int?
    /// True when one of those loops' ranges holds no other backward jump:
    /// a rough sign of an innermost loop (loops laid out apart fool it), so
    /// parsed but not printed.
    var innermost: Bool
    var source: String

    /// A bounds check on an access. A trap at a `for … in` line with no
    /// subscript on it is the range iteration's own check, which the unsafe
    /// flavour has too.
    var isBoundsCheck: Bool {
      reason.contains("out of bounds") && !(source.hasPrefix("for ") && !source.contains("["))
    }
  }

  /// The sites in the script's tab-separated output; malformed lines are skipped.
  static func parse(_ text: String) -> [Site] {
    text.split(separator: "\n").compactMap { row in
      let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 8, let line = Int(f[4]), let traps = Int(f[5]) else { return nil }
      return Site(
        flavour: f[0], file: f[1], function: f[2], reason: f[3], line: line, traps: traps, depth: Int(f[6]),
        innermost: f[7] == "1", source: f.count > 8 ? f[8...].joined(separator: "\t") : "")
    }
  }

  /// What `explain` prints for `file` (the kernel's Sources/Span file name).
  static func summary(_ sites: [Site], file: String, binary: String) -> String {
    var out = "  Bounds checks left in the compiled code (bench/span-checks.sh on \(binary)):\n"
    for flavour in ["span", "unsafe"] {
      let checks = sites.filter { $0.flavour == flavour && $0.file == file && $0.isBoundsCheck }
      let inLoops = checks.filter { ($0.depth ?? 1) > 0 }
      let traps = inLoops.reduce(0) { $0 + $1.traps }
      let outside = checks.count - inLoops.count
      out += "    \(flavour): \(traps) trap\(traps == 1 ? "" : "s") inside loops"
      out += outside > 0 ? ", \(outside) check\(outside == 1 ? "" : "s") outside them\n" : "\n"
      for site in inLoops.sorted(by: { ($0.depth ?? 0, $1.line) > ($1.depth ?? 0, $0.line) }) {
        let depth = site.depth.map { "loop depth \($0)" } ?? "loop depth ?"
        out += "      \(site.file):\(site.line) (\(depth)) \(site.source)\n"
      }
    }
    out += "    (loop depth: how many backward jumps' ranges the check's branch lies in, read from the code's"
    out += " layout: an estimate; a check hoisted out of an inner loop counts at the outer loop's depth,"
    out += " and a loop laid out apart from its parent is not counted inside it)\n"
    return out
  }

  /// Runs the script on the release worker, if both are there; otherwise
  /// says how to get the count. `directory` is the package this binary was
  /// built from (as the orchestrator finds it), else the current folder.
  static func report(
    for kernel: any Kernel, directory: URL = PackageLocation.find().root ?? URL(fileURLWithPath: ".")
  ) -> String {
    guard kernel.notApplicable(.span) == nil else { return "" }
    let file = String(describing: type(of: kernel)) + ".swift"
    let script = directory.appendingPathComponent("bench/span-checks.sh").path
    let binary = ".build/release/benchmark-worker"
    guard FileManager.default.isExecutableFile(atPath: script),
      FileManager.default.fileExists(atPath: directory.appendingPathComponent(binary).path)
    else {
      return "  Bounds checks left: run bench/span-checks.sh after `swift build -c release --product benchmark-worker`.\n"
    }
    guard let output = try? runProcess(script, [binary, file], directory: directory), output.succeeded else {
      return "  Bounds checks left: bench/span-checks.sh failed (it needs llvm-objdump, llvm-nm and llvm-symbolizer on PATH).\n"
    }
    return summary(parse(output.text), file: file, binary: binary)
  }
}
