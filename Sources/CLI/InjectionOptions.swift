// `--inject-slowdown` and `--inject-work`: the command line's spellings of
// the injections a run plan carries (`Slowdown`, `WorkInjection`).

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit

extension Slowdown {
  /// Parses `KERNEL/FLAVOUR=FACTOR`; throws a one-line `UsageError`.
  package static func parse(_ text: String) throws -> Slowdown {
    let usage = "use KERNEL/FLAVOUR=FACTOR, e.g. mandelbrot/unsafe=1.25"
    let (kernel, flavour, factorText) = try injectionTarget(text, option: "--inject-slowdown", value: "FACTOR", usage)
    guard let factor = Double(factorText), factor.isFinite, factor >= 1, factor <= maxFactor else {
      throw UsageError(
        "--inject-slowdown: factor '\(factorText)' is not a number in 1...\(Int(maxFactor)) (it multiplies the real work)")
    }
    return Slowdown(kernel: kernel, flavour: flavour, factor: factor)
  }
}

extension WorkInjection {
  /// Parses `KERNEL/FLAVOUR=+2%`, `=sequential-pass` or `=scattered-pass`; one-line `UsageError`.
  package static func parse(_ text: String) throws -> WorkInjection {
    let usage = "use KERNEL/FLAVOUR=+PERCENT%, =sequential-pass or =scattered-pass, e.g. mandelbrot/unsafe=+2%"
    let (kernel, flavour, what) = try injectionTarget(text, option: "--inject-work", value: "WHAT", usage)
    let kind: Kind
    switch what {
    case "sequential-pass": kind = .pass(scattered: false)
    case "scattered-pass": kind = .pass(scattered: true)
    default:
      var number = what
      if number.hasPrefix("+") { number = number.dropFirst() }
      guard number.hasSuffix("%"), let percent = Double(number.dropLast()), percent.isFinite, percent > 0,
        percent <= 1000
      else {
        throw UsageError("--inject-work: '\(what)' is not a percentage in (0, 1000] or a pass; \(usage)")
      }
      kind = .loop(percent / 100)
    }
    return WorkInjection(kernel: kernel, flavour: flavour, kind: kind)
  }
}

/// `KERNEL/FLAVOUR=VALUE` split at its first `=`, the kernel checked against
/// the catalogue and the flavour against `Flavour`; every failure is one line
/// that starts with `option` and, where the shape is wrong, ends with `usage`.
private func injectionTarget(
  _ text: String, option: String, value: String, _ usage: String
) throws -> (kernel: String, flavour: Flavour, value: Substring) {
  guard let equals = text.firstIndex(of: "=") else {
    throw UsageError("\(option): '\(text)' has no '=\(value)'; \(usage)")
  }
  let parts = text[..<equals].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
  guard parts.count == 2 else { throw UsageError("\(option): '\(text)' does not name KERNEL/FLAVOUR; \(usage)") }
  try requireKernel(parts[0], in: catalogue, context: "\(option): ")
  guard let flavour = Flavour(rawValue: parts[1]) else {
    throw UsageError("\(option): unknown flavour '\(parts[1])'; valid flavours: \(Flavour.validNames)")
  }
  return (parts[0], flavour, text[text.index(after: equals)...])
}
