// Files: results read back, folders checked before a long run, files written atomically.

import Foundation
import KernelKit

extension RunResults {
  /// Reads a results file, or fails with one line saying why it is not one
  /// (`context` starts the line: the option or subcommand that named the file).
  package static func load(_ path: String, context: String = "--from") throws -> RunResults {
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw UsageError("\(context): cannot read '\(path)'\(exists ? "" : ": no such file")")
    }
    if let problem = jsonProblem(data) { throw UsageError("\(context): '\(path)' is \(problem)") }
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    guard let object, object["schema"] as? String == RunResults.schema else {
      throw UsageError("\(context): '\(path)' is not a SpeedLadder results file (no \"schema\": \"\(RunResults.schema)\")")
    }
    let version = object["schemaVersion"] as? Int ?? 0
    guard version == RunResults.currentSchemaVersion else {
      throw UsageError(
        "\(context): '\(path)' has schema version \(version); this benchmark reads version \(RunResults.currentSchemaVersion)")
    }
    do {
      return try RunResults.decode(data)
    } catch {
      throw UsageError("\(context): '\(path)' does not follow schema version \(version): \(decodingProblem(error))")
    }
  }

  private static func decodingProblem(_ error: Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
      "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    default: "unreadable"
    }
  }
}

/// Why `data` is not JSON, for a one-line error, or nil when it parses:
/// "not valid JSON (truncated?)" when it ends inside an object, an array or a
/// string, as a file cut short by a full disk or an interrupted copy does;
/// "not valid JSON" otherwise.
package func jsonProblem(_ data: Data) -> String? {
  guard (try? JSONSerialization.jsonObject(with: data)) == nil else { return nil }
  var depth = 0
  var inString = false
  var escaped = false
  for byte in data {
    if inString {
      if escaped {
        escaped = false
      } else if byte == UInt8(ascii: "\\") {
        escaped = true
      } else if byte == UInt8(ascii: "\"") {
        inString = false
      }
      continue
    }
    switch byte {
    case UInt8(ascii: "\""): inString = true
    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
    default: break
    }
  }
  return inString || depth > 0 ? "not valid JSON (truncated?)" : "not valid JSON"
}

// MARK: - Checks before measuring

/// Checks made before anything is measured, so that a bad path fails in a
/// second instead of after minutes of measuring.
package enum FileChecks {
  /// Fails unless a file can be created at `path` (its folder exists and is
  /// writable, and it is not itself a folder). Writes nothing.
  package static func checkWritable(_ path: String, option: String = "--output") throws {
    guard !path.isEmpty else { throw UsageError("\(option) needs a file path") }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw UsageError("\(option): '\(path)' is a folder; give a file path")
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw UsageError("\(option): cannot write '\(path)': folder '\(folder)' does not exist")
    }
    guard canCreate(in: URL(fileURLWithPath: folder)) else {
      throw UsageError("\(option): cannot write '\(path)': folder '\(folder)' is not writable")
    }
  }

  /// Whether a folder can be made in `folder`, tried for real and removed at
  /// once: permission bits say nothing for root, nor about read-only or
  /// virtual file systems such as /proc.
  package static func canCreate(in folder: URL) -> Bool {
    let probe = folder.appendingPathComponent(".speedladder-probe-\(getpid())")
    guard mkdir(probe.path, 0o700) == 0 else { return false }
    rmdir(probe.path)
    return true
  }
}

// MARK: - Writing

/// Writes `data` to `path` through a temporary file in the same folder and a
/// rename, so a reader (or an interrupted run) never sees half a file.
/// Throws `WriteError` (exit status 4), never a usage error: by now the
/// command line was fine and the measuring is done.
package func writeAtomically(_ data: Data, to path: String) throws {
  let url = URL(fileURLWithPath: path)
  let temporary = url.deletingLastPathComponent()
    .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
  do {
    try data.write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
  } catch {
    try? FileManager.default.removeItem(at: temporary)
    throw WriteError(path: path, reason: error.localizedDescription)
  }
}
