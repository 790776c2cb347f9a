// The option scanner every subcommand shares: `--flag value`, `--flag=value`
// and bare switches, with one-line errors that name the valid choices.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

/// One option as written on the command line.
struct ParsedOption: Equatable {
  var name: String
  /// nil for a switch (an option that takes no value).
  var value: String?
}

/// The options a subcommand accepts.
struct OptionSpec {
  /// Options that take a value, with the hint shown when the value is missing.
  var valued: [(name: String, hint: String)]
  /// Options that take no value.
  var switches: [String] = []
  /// Accepted but not listed in errors (internal options such as a worker's `--exclude`).
  var hidden: [String] = []

  var names: [String] { valued.map(\.name) + switches }

  /// Scans `arguments` into options, in order. Throws a `UsageError` for a
  /// positional argument, an unknown option, a missing value, or a value given
  /// to a switch.
  func scan(_ arguments: ArraySlice<String>, subcommand: String) throws -> [ParsedOption] {
    var parsed: [ParsedOption] = []
    var rest = arguments
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("--") else {
        throw UsageError(
          "unexpected argument '\(argument)'; options start with --, see 'benchmark \(subcommand) --help'")
      }
      var name = argument
      var value: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      if switches.contains(name) {
        guard value == nil else { throw UsageError("option '\(name)' takes no value") }
        parsed.append(ParsedOption(name: name, value: nil))
        continue
      }
      guard let hint = valued.first(where: { $0.name == name })?.hint ?? (hidden.contains(name) ? "" : nil)
      else {
        let valid = names.isEmpty ? "'\(subcommand)' takes no options" : "valid options: \(names.joined(separator: ", "))"
        throw UsageError("unknown option '\(name)' for '\(subcommand)'; \(valid)")
      }
      if value == nil {
        guard let next = rest.first, !next.hasPrefix("--") else {
          throw UsageError("option '\(name)' needs a value\(hint)")
        }
        value = next
        rest = rest.dropFirst()
      }
      parsed.append(ParsedOption(name: name, value: value))
    }
    return parsed
  }
}

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

