// The subcommands, registered in one list, and the parse that picks one.
//
// Adding a subcommand: one file, NAMECommand.swift, holding
// `extension Command { struct NAME: Subcommand { … } }` (name, abstract,
// options, `run()`; see Subcommand.swift), and one line in `all` below.
// Parsing, `benchmark NAME --help`, the global page's list and the "valid
// subcommands" error all follow from that.

import MeasurementKit
import ProcessKit

/// The command line: which subcommand, with what. The subcommands are nested
/// types (`Command.Run`, `Command.Gate`, …) so they do not collide with the
/// modules' own types.
package enum Command {
  /// Every subcommand, in the order help lists them; the first is the default.
  static var all: [any Subcommand.Type] {
    [
      Run.self,
      List.self,
      Explain.self,
      Report.self,
      Gate.self,
      Compare.self,
      Concurrency.self,
      Help.self,
      Version.self,
      Worker.self,
    ]
  }

  /// The subcommands a user may type, for help and errors.
  static var visible: [any Subcommand.Type] { all.filter { !$0.isHidden } }

  /// The subcommand called `name`, hidden ones included.
  static func subcommand(named name: String) -> (any Subcommand.Type)? {
    all.first { $0.name == name }
  }

  /// Parses `arguments` (without the program name). `--help` or `-h` anywhere
  /// asks for the subcommand's page, `--version` for the version; without a
  /// subcommand word, `run` is meant.
  /// Parses `arguments` and discards the result: a command line's validity,
  /// for callers outside this module (the fuzz targets).
  package static func validate(_ arguments: [String]) throws { _ = try parse(arguments) }

  static func parse(_ arguments: [String]) throws -> any Subcommand {
    var rest = arguments[...]
    var type: any Subcommand.Type = all[0]
    if let first = rest.first, !first.hasPrefix("-") {
      guard let named = subcommand(named: first) else {
        throw UsageError(
          "unknown subcommand '\(first)'; valid subcommands: \(visible.map { $0.name }.joined(separator: ", "))")
      }
      type = named
      rest = rest.dropFirst()
    }
    if rest.contains("--help") || rest.contains("-h") { return Help(topic: type.name) }
    if rest.contains("--version") { return Version() }
    return try type.parsedCommand(rest)
  }
}
