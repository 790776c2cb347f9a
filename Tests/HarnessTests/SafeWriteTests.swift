// The one way files are written (`writeFile`): regular files replaced
// atomically, special files written in place and never replaced, links
// followed; and outputs that are one file with another output or an input
// refused before anything is measured.

import Foundation
import TestSupport
import Testing
@testable import CLI
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Writing files safely")
struct SafeWriteTests {
  // MARK: - Regular files and links

  @Test func aNewFileIsCreatedAndAnOldOneReplacedKeepingItsPermissions() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("r.json").path
    try writeFile(Data("one".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one")
    chmod(path, 0o600)
    try writeFile(Data("two".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    #expect(contents(of: folder) == ["r.json"], "a temporary file was left: \(contents(of: folder))")
  }

  @Test func aLinkIsFollowedAndItsTargetWritten() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("target.json").path
    let link = folder.appendingPathComponent("link.json").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: target))
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.json")
    try writeFile(Data("new".utf8), to: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.json")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
    // A dangling link: its target is created, the link stays.
    let dangling = folder.appendingPathComponent("dangling.json").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made.json")
    try writeFile(Data("made".utf8), to: dangling)
    #expect(try String(contentsOfFile: folder.appendingPathComponent("made.json").path, encoding: .utf8) == "made")
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dangling)) == "made.json")
    #expect(Set(contents(of: folder)) == ["target.json", "link.json", "dangling.json", "made.json"])
  }

  // MARK: - Special files

  /// /dev/stdout redirected to a file (`> out.txt`), here one of this
  /// process's descriptors: added to in place, the file not replaced (the
  /// shell's descriptor would be left on the old one).
  @Test func aRedirectedDescriptorIsAddedToNotReplaced() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.txt").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    #expect(write(descriptor, "table\n", 6) == 6)
    var before = stat()
    #expect(stat(path, &before) == 0)
    try writeFile(Data("json\n".utf8), to: "/proc/self/fd/\(descriptor)")
    #expect(write(descriptor, "end\n", 4) == 4)
    var after = stat()
    #expect(stat(path, &after) == 0 && after.st_ino == before.st_ino)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "table\njson\nend\n")
  }

  /// A FIFO made here: written in place (what its reader gets), still a FIFO.
  @Test func aFIFOIsWrittenInPlaceNotReplaced() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe").path
    try #require(mkfifo(fifo, 0o600) == 0)
    nonisolated(unsafe) var received = Data()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      // Read to the end (a FIFO has no size to read up to); the writer must not meet a closed reader.
      received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
      done.signal()
    }
    try writeFile(Data("through the pipe".utf8), to: fifo)
    #expect(done.wait(timeout: .now() + 30) == .success)
    #expect(String(decoding: received, as: UTF8.self) == "through the pipe")
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(contents(of: folder) == ["pipe"])
  }

  /// Character devices made in a scratch folder (as root only): the null
  /// device takes the data and stays a device; the full one fails with
  /// ENOSPC, an error (exit 4), not a success.
  @Test(.enabled(if: Self.canMakeDevices, "making a character device needs root (mknod)"))
  func aCharacterDeviceIsWrittenInPlaceAndAFullOneFails() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let null = folder.appendingPathComponent("null").path
    let full = folder.appendingPathComponent("full").path
    try #require(mknod(null, S_IFCHR | 0o666, Self.device(1, 3)) == 0)
    try #require(mknod(full, S_IFCHR | 0o666, Self.device(1, 7)) == 0)
    try writeFile(Data("gone".utf8), to: null)
    var info = stat()
    #expect(lstat(null, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    #expect(throws: WriteError.self) { try writeFile(Data("no room".utf8), to: full) }
    #expect(lstat(full, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    #expect(Set(contents(of: folder)) == ["null", "full"])
  }

  /// Linux's `makedev` (a C macro Swift does not import), for small numbers.
  static func device(_ major: UInt32, _ minor: UInt32) -> dev_t { dev_t(major) << 8 | dev_t(minor) }

  /// Whether this process may make device files (root, with CAP_MKNOD).
  static let canMakeDevices: Bool = {
    guard geteuid() == 0, let folder = try? scratchFolder() else { return false }
    defer { try? FileManager.default.removeItem(at: folder) }
    return mknod(folder.appendingPathComponent("probe").path, S_IFCHR | 0o600, Self.device(1, 3)) == 0
  }()

  // MARK: - One file named twice

  @Test func outputsThatAreOneFileAreRefused() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("b.json").path
    let soft = folder.appendingPathComponent("l.json").path
    let hard = folder.appendingPathComponent("h.json").path
    try Data("{}".utf8).write(to: URL(fileURLWithPath: file))
    try FileManager.default.createSymbolicLink(atPath: soft, withDestinationPath: file)
    #expect(link(file, hard) == 0)
    for other in [file, soft, hard, folder.appendingPathComponent("./b.json").path] {
      #expect(throws: UsageError.self) {
        try FileChecks.distinct([NamedFile("--baseline", file, written: false), NamedFile("--json", other, written: true)])
      }
    }
    // Two inputs may be one file; different files pass; a missing file named twice is caught by path.
    try FileChecks.distinct([NamedFile("--gates", file, written: false), NamedFile("--baseline", soft, written: false)])
    try FileChecks.distinct([NamedFile("--a", file, written: true), NamedFile("--b", folder.appendingPathComponent("c").path, written: true)])
    #expect(throws: UsageError.self) {
      try FileChecks.distinct([
        NamedFile("--a", folder.appendingPathComponent("new").path, written: true),
        NamedFile("--b", folder.appendingPathComponent("x/../new").path, written: true),
      ])
    }
  }

  /// An interrupted run never replaces a file that has more cells than it kept.
  @Test func anInterruptedRunWritesBesideABiggerFile() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("keep.json").path
    #expect(Command.Run.keptPath(for: path, cells: 0) == path)  // nothing there
    try Data("not results".utf8).write(to: URL(fileURLWithPath: path))
    #expect(Command.Run.keptPath(for: path, cells: 3) == folder.appendingPathComponent("keep.partial.json").path)
    #expect(Command.Run.keptPath(for: "keep", cells: 3) == "keep")
    // A results file with 8 cells: replaced by 8 or more, not by fewer.
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Corpus/baseline/tiny-run.json")
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.copyItem(atPath: corpus.path, toPath: path)
    #expect(Command.Run.keptPath(for: path, cells: 8) == path)
    #expect(Command.Run.keptPath(for: path, cells: 7) == folder.appendingPathComponent("keep.partial.json").path)
  }
}
