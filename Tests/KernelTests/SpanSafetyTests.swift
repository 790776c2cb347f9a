// The span flavour's promise: no unsafe construct in its module. The build
// proves it (strict memory safety turns each one into a warning, and the
// build is warning-free); these tests keep the proof from quietly going away
// and scan the sources with comments and string literals removed, so a word
// in a comment neither hides nor fakes a construct.

import Foundation
import Testing
import KernelKit
@testable import Kernels

@Suite("Span flavour safety")
struct SpanSafetyTests {
  /// The repository root, from this file's path (Tests/KernelTests/…).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Words that are, or name, an escape from memory or concurrency safety.
  static func forbidden(_ identifier: String) -> Bool {
    let word = identifier.lowercased()
    return word.contains("unsafe") || word.contains("unchecked") || word.contains("unmanaged")
      || word == "_unsafeelements"
  }

  /// The identifiers of `source` outside comments and string literals (the
  /// code inside an interpolation `\(…)` is kept: it is code).
  static func codeIdentifiers(_ source: String) -> [String] {
    let s = Array(source.unicodeScalars)
    var identifiers: [String] = []
    var current = ""
    var i = 0
    // Each entry: the paren depth at which an interpolation returns to its string.
    var interpolations: [(depth: Int, hashes: Int, multiline: Bool)] = []
    var depth = 0
    func flush() {
      if !current.isEmpty { identifiers.append(current) }
      current = ""
    }
    func at(_ text: String, _ k: Int) -> Bool {
      let t = Array(text.unicodeScalars)
      return k + t.count <= s.count && Array(s[k..<(k + t.count)]) == t
    }
    /// Skips a string literal opening at `i` (after `hashes` #s); returns
    /// true when it stopped at an interpolation instead of the literal's end.
    func skipString(hashes: Int, multiline: Bool) -> Bool {
      let close = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
      let interpolate = "\\" + String(repeating: "#", count: hashes) + "("
      while i < s.count {
        if at(close, i) {
          i += close.unicodeScalars.count
          return false
        }
        if at(interpolate, i) {
          i += interpolate.unicodeScalars.count
          depth += 1
          interpolations.append((depth, hashes, multiline))
          return true
        }
        if hashes == 0 && s[i] == "\\" { i += 2 } else { i += 1 }
      }
      return false
    }
    while i < s.count {
      let c = s[i]
      if at("//", i) {
        flush()
        while i < s.count && s[i] != "\n" { i += 1 }
      } else if at("/*", i) {
        flush()
        var nesting = 0
        repeat {
          if at("/*", i) { nesting += 1; i += 2 } else if at("*/", i) { nesting -= 1; i += 2 } else { i += 1 }
        } while nesting > 0 && i < s.count
      } else if c == "#" || c == "\"" {
        var hashes = 0
        var k = i
        while k < s.count && s[k] == "#" { hashes += 1; k += 1 }
        if k < s.count && s[k] == "\"" {
          flush()
          let multiline = at("\"\"\"", k)
          i = k + (multiline ? 3 : 1)
          _ = skipString(hashes: hashes, multiline: multiline)
        } else {
          flush()
          i += 1
        }
      } else if c == "(" {
        flush()
        depth += 1
        i += 1
      } else if c == ")" {
        flush()
        i += 1
        if let last = interpolations.last, last.depth == depth {
          interpolations.removeLast()
          depth -= 1
          _ = skipString(hashes: last.hashes, multiline: last.multiline)
        } else {
          depth -= 1
        }
      } else if c.properties.isAlphabetic || c == "_" || c == "@" || ("0"..."9").contains(c) {
        current.unicodeScalars.append(c)
        i += 1
      } else {
        flush()
        i += 1
      }
    }
    flush()
    return identifiers
  }

  @Test func theScannerSeesCodeAndIgnoresCommentsAndStrings() {
    let quiet = """
      // unsafe in a comment
      /* UnsafePointer /* nested unsafe */ still a comment */
      let text = "withUnsafeBytes in a string"
      let raw = #"unsafe "quoted" in a raw string"#
      """
    #expect(Self.codeIdentifiers(quiet).filter(Self.forbidden).isEmpty)
    let loud: [String] = [
      "let p = unsafe x.mutableSpan",
      "func f(_ p: UnsafePointer<Int>) {}",
      "a.withUnsafeBufferPointer { _ in }",
      "nonisolated(unsafe) let y = 1",
      "final class C: @unchecked Sendable {}",
      "let s = \"value \\(unsafe q)\"",
      "let m = \"\"\"\n  text \\(UnsafeRawPointer(bitPattern: 1))\n  \"\"\"",
    ]
    for line in loud {
      #expect(!Self.codeIdentifiers(line).filter(Self.forbidden).isEmpty, "\(line)")
    }
  }

  @Test func theSpanModuleHasNoUnsafeConstruct() throws {
    let folder = Self.root.appendingPathComponent("Sources/Span")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
    #expect(files.count >= 11, "one file per kernel: \(files)")
    for file in files {
      let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      let found = Self.codeIdentifiers(source).filter(Self.forbidden)
      #expect(found.isEmpty, "Sources/Span/\(file) uses \(found)")
    }
  }

  @Test func theSpanModuleIsBuiltWithStrictMemorySafety() throws {
    let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    let target = try #require(manifest.range(of: "name: \"SpanKernels\""))
    let declaration = manifest[target.lowerBound...].prefix(300)
    #expect(declaration.contains("-strict-memory-safety") || declaration.contains(".strictMemorySafety()"))
  }

  @Test func everyCPUBoundKernelHasASpanFlavour() {
    for kernel in catalogue {
      #expect(kernel.flavours.contains(.span) == !kernel.isIOBound, "\(kernel.name)")
    }
  }
}
