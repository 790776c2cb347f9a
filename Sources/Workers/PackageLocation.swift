// Where this binary and its package are: the worker starts itself again for
// the process backend; the orchestrator builds the package's other configurations.

import Foundation
import MeasurementKit

/// Where this binary and its package are.
package struct PackageLocation {
  package var executable: URL
  /// The SpeedLadder package root, when this binary was built from one.
  package var root: URL?
  /// The build folder this binary lives in (`.build`), so the other build shares it.
  package var scratch: URL?

  /// Where `build` is compiled: debug and release share this binary's build
  /// folder (`.build`); the native build has its own (`.build-native` at the
  /// package root), since its flags differ and would rebuild release each time.
  package func scratchPath(for build: Build) -> URL? {
    guard build == .native || Build.current == .native else { return scratch }
    guard let root else { return nil }
    return root.appendingPathComponent(build == .native ? ".build-native" : ".build")
  }

  package static func find() -> PackageLocation {
    let executable = currentExecutable()
    // A SwiftPM product lives at <scratch>/<triple>/<configuration>/benchmark.
    let scratch = executable.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var candidates = [scratch.deletingLastPathComponent()]
    var folder = executable.deletingLastPathComponent()
    while folder.path != "/" {
      candidates.append(folder)
      folder = folder.deletingLastPathComponent()
    }
    let root = candidates.first(where: isSpeedLadderPackage)
    let usesScratch = root != nil && scratch.lastPathComponent.hasPrefix(".build")
    return PackageLocation(executable: executable, root: root, scratch: usesScratch ? scratch : nil)
  }

  private static func isSpeedLadderPackage(_ folder: URL) -> Bool {
    let manifest = folder.appendingPathComponent("Package.swift")
    guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return false }
    return text.contains("name: \"SpeedLadder\"")
  }

  package static func currentExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
  }
}
