// `benchmark help [SUBCOMMAND]`, `--help`, `-h`: the global page or one subcommand's.

import Foundation
import MeasurementKit
import ProcessKit

extension Command {
  struct Help: Subcommand {
    /// The subcommand whose page to print; nil (or the default subcommand, or
    /// `help` itself) prints the global page.
    var topic: String?

    static let name = "help"
    static let usage = "[SUBCOMMAND]"
    static let abstract = "This page, or a subcommand's (also `benchmark SUBCOMMAND --help`)."

    static var arguments: [Argument<Help>] {
      [
        Argument(
          name: "SUBCOMMAND", help: "The subcommand whose options to explain.", isOptional: true
        ) { help, value in
          guard let type = Command.subcommand(named: value) else {
            throw UsageError(
              "help: unknown subcommand '\(value)'; valid subcommands: \(Command.visible.map { $0.name }.joined(separator: ", "))")
          }
          help.topic = type.name
        }
      ]
    }

    init() {}
    init(topic: String?) { self.topic = topic }

    /// What `run` prints.
    var text: String {
      guard let topic, topic != Command.all[0].name, topic != Self.name, let type = Command.subcommand(named: topic)
      else { return HelpText.global() }
      return HelpText.page(type)
    }

    func run() throws -> Int32 {
      writeStandardOutput(text)
      return ExitStatus.success
    }
  }
}
