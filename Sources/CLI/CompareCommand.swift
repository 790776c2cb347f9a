// `benchmark compare OLD.json NEW.json`: two saved runs, cell by cell.

import Foundation
import Gates
import KernelKit
import Kernels
import MeasurementKit

/// What `benchmark compare` was asked to do.
package struct CompareOptions: Equatable, Sendable {
  package var old: String
  package var new: String
  /// Compare runs from another CPU, core count, Swift version or build flags anyway.
  package var force = false
  /// table (default), json or markdown.
  package var format = OutputFormat.table
}

extension Command {
  static let compareSpec = OptionSpec(
    valued: [("--format", "; valid formats: table, json, markdown")], switches: ["--force"])

  /// Two file paths (anywhere among the options) and the options.
  static func parseCompare(_ arguments: ArraySlice<String>) throws -> CompareOptions {
    var files: [String] = []
    var options: [String] = []
    var rest = arguments
    while let argument = rest.popFirst() {
      if argument.hasPrefix("--") {
        options.append(argument)
        // A valued option's value travels with it (unless given as --format=…).
        if compareSpec.valued.contains(where: { $0.name == argument }), let value = rest.first, !value.hasPrefix("--") {
          options.append(value)
          rest = rest.dropFirst()
        }
      } else {
        files.append(argument)
      }
    }
    guard files.count == 2 else {
      throw UsageError(
        "compare needs two results files (saved with --output FILE.json), got \(files.count): benchmark compare OLD.json NEW.json")
    }
    var compare = CompareOptions(old: files[0], new: files[1])
    for option in try compareSpec.scan(options[...], subcommand: "compare") {
      switch option.name {
      case "--format":
        guard let format = OutputFormat(rawValue: option.value ?? ""), format != .csv else {
          throw UsageError("unknown format '\(option.value ?? "")' for compare; valid formats: table, json, markdown")
        }
        compare.format = format
      case "--force": compare.force = true
      default: preconditionFailure("unhandled option \(option.name)")
      }
    }
    return compare
  }
}

package enum CompareCommand {
  /// Prints the comparison; exit 0, or 2 for an unreadable file or (without
  /// `--force`) runs from different machines, toolchains or build flags.
  package static func main(_ options: CompareOptions) throws -> Int32 {
    let old = try RunResults.load(options.old, context: "compare")
    let new = try RunResults.load(options.new, context: "compare")
    if !options.force, let difference = Comparison.provenanceDifference(old: old.provenance, new: new.provenance) {
      throw UsageError("compare: \(difference); pass --force to compare anyway")
    }
    let comparison = Comparison(old: old, new: new, oldPath: options.old, newPath: options.new)
    switch options.format {
    case .json: FileHandle.standardOutput.write(try comparison.json())
    case .markdown: writeStandardOutput(comparison.markdown())
    case .table, .csv: writeStandardOutput(comparison.text() + "\n")
    }
    return ExitStatus.success
  }
}
