// `--backend`, `--gil`, `--time-limit`: the options that choose who runs a multi-thread cell.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

extension Command {
  /// `--backend`, `--time-limit` (and the `--gil` switch), for `run` and its workers.
  static let concurrencyOptions: [(name: String, hint: String)] = [
    ("--backend", "; valid backends: \(Backend.allCases.map(\.rawValue).joined(separator: ", "))"),
    ("--time-limit", ": seconds one run of a process-backend cell may take, e.g. 120"),
  ]

  /// Applies a concurrency option; false if `option` is not one.
  static func applyConcurrency(_ option: ParsedOption, to options: inout RunPlan) throws -> Bool {
    let value = option.value ?? ""
    switch option.name {
    case "--backend":
      guard let backend = Backend(rawValue: value) else {
        throw UsageError(
          "unknown backend '\(value)'; valid backends: \(Backend.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      options.backend = backend
    case "--gil":
      options.gil = true
    case "--time-limit":
      guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
        throw UsageError("--time-limit: '\(value)' is not a time; use seconds in 0...86400, e.g. 120")
      }
      options.timeLimitSeconds = seconds
    default:
      return false
    }
    return true
  }
}

extension RunPlan {
  /// The concurrency options a worker must be given to measure the same way.
  func concurrencyArguments() -> [String] {
    var arguments: [String] = []
    if backend != .threads { arguments += ["--backend", backend.rawValue] }
    if gil { arguments.append("--gil") }
    if timeLimitSeconds != defaultTimeLimit { arguments += ["--time-limit", String(timeLimitSeconds)] }
    return arguments
  }
}
