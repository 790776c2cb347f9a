// Where and how a run was made: machine, toolchain, build flags, source revision.

import CKernels
import Foundation
import KernelKit
import Kernels

/// How one build configuration was compiled, as reported by a binary of that build.
package struct BuildInfo: Codable, Equatable, Sendable {
  package var build: Build
  /// The flags SwiftPM passes for this configuration.
  package var swiftFlags: String
  package var cFlags: String
  /// Evidence from the binary itself: `__OPTIMIZE__` was defined when the C target compiled.
  package var cOptimized: Bool
  /// `__VERSION__` of the compiler that built the C target.
  package var cCompiler: String

  /// This binary's build.
  package static var current: BuildInfo {
    let build = Build.current
    return BuildInfo(
      build: build,
      swiftFlags: build == .debug ? "-Onone (SwiftPM debug)" : "-O -whole-module-optimization",
      cFlags: build == .debug ? "-O0 -DDEBUG=1" : "-O2",
      cOptimized: ck_is_optimized() != 0,
      cCompiler: String(cString: ck_compiler_version()))
  }
}

/// The machine, toolchain and source a run came from.
package struct Provenance: Codable, Equatable, Sendable {
  package var cpu: String
  /// Cores this process may run on.
  package var cores: Int
  package var memoryGiB: Double
  package var os: String
  package var swiftVersion: String
  package var builds: [BuildInfo]
  package var gitCommit: String?
  package var gitDirty: Bool?
  /// ISO 8601, UTC.
  package var date: String

  /// The machine this process runs on; `builds` and the git fields are filled in by the caller.
  package static func here(packageRoot: URL?) -> Provenance {
    let info = ProcessInfo.processInfo
    var commit: String?
    var dirty: Bool?
    if let root = packageRoot {
      commit = commandOutput("git", ["rev-parse", "--short=12", "HEAD"], directory: root)
      if commit != nil {
        dirty = commandOutput("git", ["status", "--porcelain"], directory: root).map { !$0.isEmpty }
      }
    }
    let swift = commandOutput("swift", ["--version"])?.split(separator: "\n").first.map(String.init)
    return Provenance(
      cpu: cpuModel(), cores: activeCores(),
      memoryGiB: (Double(info.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
      os: operatingSystem(), swiftVersion: swift ?? "unknown (no swift on PATH)",
      builds: [], gitCommit: commit, gitDirty: dirty,
      date: ISO8601DateFormatter().string(from: Date()))
  }

  /// One line for the foot of a report.
  package var summaryLine: String {
    let revision = gitCommit.map { $0 + (gitDirty == true ? " (dirty)" : "") } ?? "no git"
    return "\(cpu) · \(cores) cores · \(os) · \(swiftVersion) · commit \(revision) · \(date)"
  }
}

/// The cores this process may use: "all" in `--threads`.
package func activeCores() -> Int { ProcessInfo.processInfo.activeProcessorCount }

private func cpuModel() -> String {
  if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
    let colon = line.firstIndex(of: ":")
  {
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
  }
  return commandOutput("sysctl", ["-n", "machdep.cpu.brand_string"]) ?? "unknown CPU"
}

private func operatingSystem() -> String {
  var name = ProcessInfo.processInfo.operatingSystemVersionString
  if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") })
  {
    name = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
  }
  let kernel = commandOutput("uname", ["-sr"]) ?? ""
  let arch = commandOutput("uname", ["-m"]) ?? ""
  return [name, kernel, arch].filter { !$0.isEmpty }.joined(separator: ", ")
}

/// `--threads sweep`: 1, 2, … up to twice the cores, so oversubscription shows.
package func sweepThreads(cores: Int) -> [Int] { Array(1...max(2 * cores, 2)) }
