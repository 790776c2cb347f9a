// What every subcommand is: a name, its arguments and options declared once,
// and what it does. The parser and the help page are both made from the
// declaration (HelpText.swift), so they cannot drift apart.

import Foundation
import MeasurementKit
import ProcessKit

/// One subcommand of `benchmark`: one type in one file, registered in `Command.all`.
protocol Subcommand: Equatable {
  /// The word after `benchmark`.
  static var name: String { get }
  /// What follows `benchmark NAME` on its usage line; default `[options]` (or nothing).
  static var usage: String { get }
  /// One sentence for the global page's list of subcommands.
  static var abstract: String { get }
  /// The subcommand's own page, between USAGE and OPTIONS; default: the abstract.
  static var discussion: String { get }
  /// Positional arguments, before the options; default none.
  static var arguments: [Argument<Self>] { get }
  /// Its options, in the order help lists them.
  static var options: [Option<Self>] { get }
  /// Text after OPTIONS on its page (exit status, examples); default none.
  static var epilogue: String { get }
  /// Internal subcommands (the workers) are left out of help and of the valid subcommands.
  static var isHidden: Bool { get }

  /// The defaults, before any option is applied.
  init()
  /// Checks that need every option at once (sizes against kernels, files); after parsing.
  mutating func validate() throws
  /// Does the work and returns the exit status (`ExitStatus`).
  func run() throws -> Int32
}

extension Subcommand {
  static var usage: String { options.isEmpty && arguments.isEmpty ? "" : "[options]" }
  static var discussion: String { abstract }
  static var arguments: [Argument<Self>] { [] }
  static var options: [Option<Self>] { [] }
  static var epilogue: String { "" }
  static var isHidden: Bool { false }
  mutating func validate() throws {}
}

// MARK: - Declarations

/// An option of subcommand `Command`: `--name value`, `--name=value`, or a bare switch.
struct Option<Command> {
  var name: String
  /// The value's placeholder in help and errors (`LIST`, `MS`); nil for a switch, which takes none.
  var value: String?
  /// What it does, for help (wrapped there; one sentence or a few).
  var help: String
  /// The default, as help says it; nil when there is none to say.
  var defaultValue: String?
  /// The values it accepts when they are a closed set, taken from the model (`Build.allCases`, …).
  var valid: [String]
  /// Whether it may be given more than once (each adds one); otherwise twice is an error.
  var repeatable: Bool
  /// Applies the value ("" for a switch), or throws a one-line `UsageError`.
  var apply: (inout Command, String) throws -> Void

  /// An option that takes a value.
  init(
    _ name: String, _ value: String, help: String, default defaultValue: String? = nil, valid: [String] = [],
    repeatable: Bool = false, apply: @escaping (inout Command, String) throws -> Void
  ) {
    (self.name, self.value, self.help, self.defaultValue) = (name, value, help, defaultValue)
    (self.valid, self.repeatable, self.apply) = (valid, repeatable, apply)
  }

  /// A switch: an option that takes no value.
  init(switch name: String, help: String, apply: @escaping (inout Command) -> Void) {
    (self.name, self.value, self.help, self.defaultValue) = (name, nil, help, nil)
    (self.valid, self.repeatable, self.apply) = ([], false, { command, _ in apply(&command) })
  }

  /// The same option applied to the part of a larger command that `path` names
  /// (the measurement options `run`, `explain` and `report` share).
  func scoped<Outer>(to path: WritableKeyPath<Outer, Command>) -> Option<Outer> {
    let apply = self.apply
    var option = Option<Outer>(switch: name, help: help) { _ in }
    (option.value, option.defaultValue, option.valid, option.repeatable) = (value, defaultValue, valid, repeatable)
    option.apply = { try apply(&$0[keyPath: path], $1) }
    return option
  }
}

/// A positional argument, such as `explain`'s KERNEL.
struct Argument<Command> {
  /// Its placeholder in usage and errors: `KERNEL`.
  var name: String
  var help: String
  var isOptional: Bool
  var apply: (inout Command, String) throws -> Void
}

// MARK: - Parsing

extension Subcommand {
  /// Parses the arguments after the subcommand's name: positional arguments
  /// first, then options, then `validate()`. Throws a one-line `UsageError`
  /// for anything else: a stray argument, an unknown option, a missing value,
  /// a value given to a switch, or an option given twice.
  static func parse(_ arguments: ArraySlice<String>) throws -> Self {
    var command = Self()
    // Positional arguments may come before, between or after the options
    // (`compare --force OLD NEW`); they are applied first, in order.
    let (options, values) = try scan(arguments)
    var positional = Self.arguments[...]
    for value in values {
      try positional.popFirst()!.apply(&command, value)
    }
    if let missing = positional.first(where: { !$0.isOptional }) {
      throw UsageError("'\(name)' needs \(missing.name): \(missing.help)")
    }
    var given: Set<String> = []
    for (option, value) in options {
      guard option.repeatable || given.insert(option.name).inserted else {
        throw UsageError("option '\(option.name)' is given twice; give it once")
      }
      try option.apply(&command, value)
    }
    try command.validate()
    return command
  }

  /// `parse`, for a subcommand chosen at run time (`Command.parse`).
  static func parsedCommand(_ arguments: ArraySlice<String>) throws -> any Subcommand {
    try parse(arguments)
  }

  /// The placeholders of the arguments that must be given (`OLD.json`, `NEW.json`).
  static var requiredArgumentNames: [String] { arguments.filter { !$0.isOptional }.map(\.name) }

  /// The names `scan` accepts, in help's order.
  static var optionNames: [String] { options.map(\.name) }

  /// The options with their values, and the positional arguments (at most
  /// as many as the subcommand takes), in the order given.
  private static func scan(_ arguments: ArraySlice<String>) throws -> ([(Option<Self>, String)], [String]) {
    let options = Self.options
    var parsed: [(Option<Self>, String)] = []
    var positional: [String] = []
    var rest = arguments
    while let argument = rest.popFirst() {
      if !argument.hasPrefix("-"), positional.count < Self.arguments.count {
        positional.append(argument)
        continue
      }
      guard argument.hasPrefix("--") else {
        if options.isEmpty && Self.arguments.isEmpty {
          throw UsageError("'\(name)' takes no arguments, got '\(argument)'")
        }
        throw UsageError("unexpected argument '\(argument)'; options start with --, see 'benchmark \(name) --help'")
      }
      var name = argument
      var value: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      guard let option = options.first(where: { $0.name == name }) else {
        let valid =
          options.isEmpty ? "'\(Self.name)' takes no options" : "valid options: \(optionNames.joined(separator: ", "))"
        throw UsageError("unknown option '\(name)' for '\(Self.name)'; \(valid)")
      }
      guard let placeholder = option.value else {
        guard value == nil else { throw UsageError("option '\(name)' takes no value") }
        parsed.append((option, ""))
        continue
      }
      if value == nil {
        guard let next = rest.first, !next.hasPrefix("--") else {
          let hint = option.valid.isEmpty
            ? " (\(placeholder)); see 'benchmark \(Self.name) --help'"
            : "; valid values: \(option.valid.joined(separator: ", "))"
          throw UsageError("option '\(name)' needs a value\(hint)")
        }
        value = next
        rest = rest.dropFirst()
      }
      parsed.append((option, value!))
    }
    return (parsed, positional)
  }
}

// MARK: - Values

/// Splits a comma-separated option value; empty items are an error.
func commaList<T>(_ value: String, _ name: String, _ item: (String) throws -> T) throws -> [T] {
  let items = value.split(separator: ",", omittingEmptySubsequences: false).map {
    $0.trimmingCharacters(in: .whitespaces)
  }
  guard !items.contains(where: \.isEmpty) else {
    throw UsageError("option '\(name)' needs a comma-separated list without empty items")
  }
  return try items.map(item)
}

/// The case of `T` spelled `value`, or the one-line error naming every valid
/// `noun`: "unknown build 'fast'; valid builds: debug, release".
func oneOf<T: CaseIterable & RawRepresentable>(_ value: String, _ noun: String) throws -> T where T.RawValue == String {
  guard let found = T(rawValue: value) else {
    throw UsageError("unknown \(noun) '\(value)'; valid \(noun)s: \(names(of: T.self).joined(separator: ", "))")
  }
  return found
}

/// Every case's name, for help and errors.
func names<T: CaseIterable & RawRepresentable>(of type: T.Type) -> [String] where T.RawValue == String {
  type.allCases.map(\.rawValue)
}
