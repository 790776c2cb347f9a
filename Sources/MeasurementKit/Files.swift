// Files: results read back, folders checked before a long run, files written atomically.

import Foundation
import KernelKit
import ProcessKit

extension RunResults {
  /// Reads a results file, or fails with one line saying why it is not one
  /// (`context` starts the line: the option or subcommand that named the file),
  /// or whose cells cannot be a measurement (`validate`, against the kernels
  /// of `catalogue`). With `announcesIncomplete`, an interrupted run's file is
  /// named as such on standard error.
  package static func load(
    _ path: String, catalogue: KernelCatalogue, context: String = "--from", announcesIncomplete: Bool = false
  ) throws -> RunResults {
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
    let results: RunResults
    do {
      results = try RunResults.decode(data)
    } catch {
      throw UsageError("\(context): '\(path)' does not follow schema version \(version): \(decodingProblem(error))")
    }
    try results.validate(path: path, context: context, catalogue: catalogue)
    if announcesIncomplete, let note = results.incompleteNote(path: path) { writeStandardError(note + "\n") }
    return results
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

/// What a `DecodingError` says, in one line that names where: `at
/// cells[3].samples: Expected to decode Double but found a string instead`,
/// `missing "size"`, or the parser's own words for JSON that is not JSON.
package func describeDecodingError(_ error: DecodingError) -> String {
  let (context, what): (DecodingError.Context, String) =
    switch error {
    case .keyNotFound(let key, let context): (context, "missing \"\(key.stringValue)\"")
    case .typeMismatch(_, let context), .valueNotFound(_, let context): (context, context.debugDescription)
    case .dataCorrupted(let context):
      (context, (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String ?? context.debugDescription)
    @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "\(error)")
    }
  let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  return path.isEmpty ? what : "at \(path.hasPrefix(".") ? String(path.dropFirst()) : path): \(what)"
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
    let target = FileTarget(path)
    switch target.kind {
    case .directory:
      throw UsageError("\(option): '\(path)' is a folder; give a file path")
    case .special("a socket"):
      throw UsageError("\(option): cannot write '\(path)': it is a socket, which cannot be opened as a file")
    case .special(let what):
      // Written in place (`writeFile`): it must open for writing; its folder need not take new files.
      guard access(path, W_OK) == 0 else {
        throw UsageError("\(option): cannot write '\(path)' (\(what)): \(String(cString: strerror(errno)))")
      }
      return
    case .regular where target.isOpenDescriptor:
      return  // added to in place (`writeFile`), like a special file
    case .regular, .missing:
      break
    }
    // The file is replaced through a temporary file beside the link's target.
    let folder = URL(fileURLWithPath: target.resolved).deletingLastPathComponent().path
    let shown = target.resolved == FileTarget.absolute(path) ? "" : " (a link to '\(target.resolved)')"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw UsageError("\(option): cannot write '\(path)'\(shown): folder '\(folder)' does not exist")
    }
    guard canCreate(in: URL(fileURLWithPath: folder)) else {
      throw UsageError("\(option): cannot write '\(path)'\(shown): folder '\(folder)' is not writable")
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

/// Where a path leads, for writing it and for telling two paths apart: what
/// `stat(2)` says is there (symbolic links followed) and the path with every
/// link resolved, also for a file still to be created or a dangling link.
package struct FileTarget {
  package enum Kind: Equatable {
    /// Nothing there yet: a new file is created (through a dangling link's target).
    case missing
    case regular
    case directory
    /// A character or block device, FIFO or socket: written in place, never replaced.
    case special(String)
  }

  /// The path as given.
  package var path: String
  /// Absolute, every symbolic link followed.
  package var resolved: String
  package var kind: Kind
  /// Device and inode of what is there (nil when missing).
  package var device: UInt64?
  package var inode: UInt64?
  /// Permission bits, owner and group of the regular file being replaced.
  var mode: mode_t = 0o644
  var owner: (uid_t, gid_t)?

  package init(_ path: String) {
    self.path = path
    var info = stat()
    guard stat(path, &info) == 0 else {
      kind = .missing
      resolved = Self.resolveMissing(path)
      return
    }
    (device, inode) = (UInt64(info.st_dev), UInt64(info.st_ino))
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      kind = .regular
      (mode, owner) = (info.st_mode & 0o7777, (info.st_uid, info.st_gid))
    case S_IFDIR: kind = .directory
    case S_IFCHR: kind = .special("a character device")
    case S_IFBLK: kind = .special("a block device")
    case S_IFIFO: kind = .special("a FIFO")
    case S_IFSOCK: kind = .special("a socket")
    default: kind = .special("a special file")
    }
    // realpath fails on the links of /proc/self/fd to pipes; the path then stands for itself.
    resolved = Self.realPath(path) ?? Self.absolute(path)
  }

  /// The descriptor of this process that `path` names (/dev/stdout,
  /// /dev/stderr, /dev/fd/N, /proc/self/fd/N), or nil: what is behind it is
  /// written through that descriptor, as printing would, never replaced.
  package var openDescriptor: Int32? {
    switch path {
    case "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        return Int32(path.dropFirst(prefix.count))
      }
      return nil
    }
  }

  package var isOpenDescriptor: Bool { openDescriptor != nil }

  /// Whether several outputs of one command may name this target: true for
  /// character devices (/dev/null, a terminal), which take any number of
  /// writers without losing anything.
  package var isShareable: Bool { kind == .special("a character device") }

  /// Whether `self` and `other` are one file: the same resolved path, or the
  /// same device and inode where both exist.
  package func isSameFile(as other: FileTarget) -> Bool {
    if let device, let inode, let otherDevice = other.device, let otherInode = other.inode {
      return device == otherDevice && inode == otherInode
    }
    return resolved == other.resolved
  }

  static func realPath(_ path: String) -> String? {
    guard let pointer = realpath(path, nil) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
  }

  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// Where a file that does not exist yet will be: a dangling symbolic link
  /// is followed to its target (a new file there), link after link; the
  /// folder of a plain missing path is resolved.
  static func resolveMissing(_ path: String) -> String {
    var current = absolute(path)
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
        let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current)
      else { break }
      current =
        destination.hasPrefix("/")
        ? absolute(destination)
        : absolute(URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path)
    }
    let url = URL(fileURLWithPath: current)
    guard let folder = realPath(url.deletingLastPathComponent().path) else { return current }
    return URL(fileURLWithPath: folder).appendingPathComponent(url.lastPathComponent).path
  }
}

/// The one way `benchmark` writes a file (results, baselines, gate summaries,
/// report files). What is at `path` decides how:
/// - a regular file, or nothing yet: written to a temporary file in the same
///   folder and renamed over it, so a reader (or an interrupted run) never
///   sees half a file; a replaced file keeps its permissions;
/// - a symbolic link: followed, and its target written as above (the link stays);
/// - a character device, FIFO or other special file (`/dev/null`, a named
///   pipe, `/dev/stdout`): opened and written in place, never replaced; a
///   FIFO waits for its reader.
/// Throws `WriteError` (exit status 4), never a usage error: by now the
/// command line was fine and the measuring is done. A full device (ENOSPC,
/// as /dev/full gives) or a reader gone (EPIPE) is such an error.
package func writeFile(_ data: Data, to path: String) throws {
  let target = FileTarget(path)
  if let descriptor = target.openDescriptor, target.kind != .missing, target.kind != .directory {
    // /dev/stdout (a pipe, a terminal, or a file behind `> file`): written
    // as printing would, at the descriptor's own offset; replacing a file
    // would leave the shell's descriptor on the old one.
    PendingFile.beginInPlace(path)
    defer { PendingFile.finished() }
    if let reason = writeFailure(descriptor, data) { throw WriteError(path: path, reason: reason) }
    return
  }
  switch target.kind {
  case .directory:
    throw WriteError(path: path, reason: "it is a folder")
  case .special:
    try writeInPlace(data, to: path)
  case .regular, .missing:
    try replaceAtomically(data, target: target)
  }
}

private func writeInPlace(_ data: Data, to path: String) throws {
  // No O_TRUNC, no O_CREAT: a device or pipe is written, never made or emptied.
  PendingFile.beginInPlace(path)
  defer { PendingFile.finished() }
  var descriptor: Int32
  repeat { descriptor = open(path, O_WRONLY | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
  guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
  let failure = writeFailure(descriptor, data)
  let closed = close(descriptor) == 0 ? nil : String(cString: strerror(errno))
  if let reason = failure ?? closed { throw WriteError(path: path, reason: reason) }
}

private func replaceAtomically(_ data: Data, target: FileTarget) throws {
  let url = URL(fileURLWithPath: target.resolved)
  let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
  PendingFile.begin(temporary: temporary, target: target.path)
  defer { PendingFile.finished() }
  unlink(temporary)  // a leftover of a process with this pid
  let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
  guard descriptor >= 0 else {
    throw WriteError(path: target.path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))")
  }
  var failure = writeFailure(descriptor, data)
  if failure == nil, target.kind == .regular {
    // Keep the replaced file's permissions (and, for root, its owner).
    fchmod(descriptor, target.mode)
    if let (uid, gid) = target.owner, geteuid() == 0 { _ = fchown(descriptor, uid, gid) }
  }
  if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
  if failure == nil, rename(temporary, target.resolved) != 0 { failure = String(cString: strerror(errno)) }
  if let failure {
    unlink(temporary)
    throw WriteError(path: target.path, reason: failure)
  }
}

// MARK: - Files that must differ

/// One file a command reads or writes, for `FileChecks.distinct`.
package struct NamedFile {
  /// How the command line named it: "--output", "--baseline".
  package var option: String
  package var path: String
  /// Whether the command writes it (two inputs may be one file).
  package var written: Bool

  package init(_ option: String, _ path: String, written: Bool) {
    (self.option, self.path, self.written) = (option, path, written)
  }
}

extension FileChecks {
  /// Fails (exit 2, before anything is measured) when an output of a command
  /// is another of its outputs or one of its inputs: `gate --baseline B --json
  /// B` would replace the baseline it compared with. Paths are compared once
  /// every link is followed, and by device and inode where the file exists.
  /// Character devices (/dev/null) take any number of writers and are left out.
  package static func distinct(_ files: [NamedFile]) throws {
    let targets = files.map { FileTarget($0.path) }
    for (i, file) in files.enumerated() where file.written && !targets[i].isShareable {
      for (j, other) in files.enumerated() where j != i && (j > i || !other.written) {
        guard targets[i].isSameFile(as: targets[j]) else { continue }
        let which =
          file.path == other.path
          ? "\(file.option) and \(other.option) name the same file '\(file.path)'"
          : "\(file.option) '\(file.path)' and \(other.option) '\(other.path)' are one file"
        throw UsageError(
          "\(which): writing \(file.option) would replace \(other.written ? "the other output" : "a file this command reads"); give different files")
      }
    }
  }
}
