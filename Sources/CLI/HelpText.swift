// Help pages, made from the subcommands' declarations: every option a parser
// accepts is listed, with its value, default and valid values, because both
// come from the same `Option`.

import Foundation

enum HelpText {
  /// Page width, and where an option's description starts.
  static let width = 80
  static let column = 22

  /// `benchmark --help`: every subcommand, then the default subcommand's
  /// (`run`'s) discussion, options and epilogue.
  static func global() -> String {
    let run = Command.all[0]
    var out = ""
    for (index, type) in Command.visible.enumerated() {
      out += (index == 0 ? "USAGE: " : "       ") + "benchmark " + usage(type, isDefault: index == 0) + "\n"
    }
    out += "       benchmark --help | --version\n\n"
    out += paragraphs(run.discussion) + "\n\n"
    out += "SUBCOMMANDS:\n"
    for (index, type) in Command.visible.enumerated() {
      out += entry(type.name + (index == 0 ? " (default)" : ""), type.abstract)
    }
    out += "\nOPTIONS (\(run.name)):\n" + optionEntries(run, global: true)
    out += "\nEach subcommand's options: benchmark SUBCOMMAND --help.\n"
    if !run.epilogue.isEmpty { out += "\n" + run.epilogue + "\n" }
    return out
  }

  /// `benchmark NAME --help`: that subcommand's usage, discussion, options and epilogue.
  static func page(_ type: any Subcommand.Type) -> String {
    var out = "USAGE: benchmark " + usage(type, isDefault: false) + "\n\n" + paragraphs(type.discussion) + "\n"
    if !type.argumentHelp.isEmpty {
      out += "\nARGUMENTS:\n" + type.argumentHelp.map { entry($0.label, $0.text) }.joined()
    }
    out += "\nOPTIONS:\n" + optionEntries(type, global: false)
    if !type.epilogue.isEmpty { out += "\n" + type.epilogue + "\n" }
    return out
  }

  static func usage(_ type: any Subcommand.Type, isDefault: Bool) -> String {
    let name = isDefault ? "[\(type.name)]" : type.name
    return type.usage.isEmpty ? name : "\(name) \(type.usage)"
  }

  /// One line per option (more when wrapped), then `--help` (and `--version` on the global page).
  static func optionEntries(_ type: any Subcommand.Type, global: Bool) -> String {
    var out = type.optionHelp.map { entry($0.label, $0.text) }.joined()
    out += entry("-h, --help", global ? "Show this help." : "Show this subcommand's help.")
    if global { out += entry("--version", "Show the version.") }
    return out
  }

  /// `label` in the left column, `text` wrapped to the right of it (below it when the label is long).
  static func entry(_ label: String, _ text: String) -> String {
    let lines = wrap(text, width: width - column)
    let indent = String(repeating: " ", count: column)
    var out = "  " + label
    if out.count <= column - 2 {
      out += String(repeating: " ", count: column - out.count) + (lines.first ?? "") + "\n"
      for line in lines.dropFirst() { out += indent + line + "\n" }
    } else {
      out += "\n" + lines.map { indent + $0 + "\n" }.joined()
    }
    return out
  }

  /// Each paragraph of `text` (separated by blank lines) rewrapped to the page width.
  static func paragraphs(_ text: String) -> String {
    text.components(separatedBy: "\n\n").map { paragraph in
      wrap(paragraph.replacingOccurrences(of: "\n", with: " "), width: width).joined(separator: "\n")
    }.joined(separator: "\n\n")
  }

  /// `text` in lines of at most `width` characters, broken at spaces.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}

extension Subcommand {
  /// Each option's help entry: label (`--size SIZE`) and text with its valid values and default.
  static var optionHelp: [(label: String, text: String)] {
    options.map { option in
      var text = option.help
      if !option.valid.isEmpty { text += " Valid: \(option.valid.joined(separator: ", "))." }
      if let value = option.defaultValue { text += " Default: \(value)." }
      if option.repeatable { text += " May be given more than once." }
      return (option.name + (option.value.map { " " + $0 } ?? ""), text)
    }
  }

  /// Each positional argument's help entry.
  static var argumentHelp: [(label: String, text: String)] {
    arguments.map { ($0.name, $0.help + ($0.isOptional ? " Optional." : "")) }
  }
}
