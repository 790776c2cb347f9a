// Where and how a run was made: machine, toolchain, build flags, source revision.

import Foundation
import KernelKit
import MachineLimits
import ProcessKit

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
  /// The vector instruction sets the C target was compiled for, from the
  /// compiler's own macros (`sse2 avx avx2 fma avx512f`, or `neon`); absent in
  /// files written before the native build existed.
  package var cTargetFeatures: String? = nil
  /// This machine's limits as this build's probes measured them (release and
  /// native builds; a -O0 probe would measure the compiler, not the machine).
  package var limits: MachineLimits? = nil
  /// Seconds `swift build` took for this build in this run (absent when the
  /// run's own binary was this build, so nothing was built).
  package var buildSeconds: Double? = nil

  /// This binary's build.
  package static var current: BuildInfo {
    let build = Build.current
    return BuildInfo(
      build: build,
      swiftFlags: build.swiftFlags, cFlags: build.cFlags, cOptimized: CCompilation.isOptimized,
      cCompiler: CCompilation.compilerVersion, cTargetFeatures: CCompilation.targetFeatures)
  }
}

/// The machine, toolchain and source a run came from.
package struct Provenance: Codable, Equatable, Sendable {
  package var cpu: String
  /// The CPU's vector features as the operating system reports them
  /// (`/proc/cpuinfo` flags such as avx2, fma, avx512f); absent in older files.
  package var cpuVectorFeatures: [String]? = nil
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
      switch probe("git", ["rev-parse", "--short=12", "HEAD"], directory: root) {
      case .answered(let hash):
        commit = hash
        dirty = commandOutput("git", ["status", "--porcelain"], directory: root).map { !$0.isEmpty }
      case .notStarted:
        // Not "not a git checkout": git was never asked.
        commit = "unknown (git could not be started)"
      case .failed: break
      }
    }
    let swift: String? =
      switch probe("swift", ["--version"]) {
      case .answered(let text): text.split(separator: "\n").first.map(String.init) ?? "unknown"
      case .failed(127): nil
      case .failed(let status): "unknown (swift --version exited \(status))"
      case .notStarted: "unknown (swift --version could not be started)"
      }
    return Provenance(
      cpu: cpuModel(), cpuVectorFeatures: readCPUVectorFeatures(), cores: activeCores(),
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

/// Whether Linux's /proc/cpuinfo lists `flag` for this CPU (false elsewhere).
package func cpuHasFeature(_ flag: String) -> Bool {
  guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") }),
    let colon = line.firstIndex(of: ":")
  else { return false }
  return line[line.index(after: colon)...].split(separator: " ").contains { $0 == flag }
}

/// The vector-related CPU flags Linux reports, in a fixed order; nil elsewhere.
private func readCPUVectorFeatures() -> [String]? {
  guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") }),
    let colon = line.firstIndex(of: ":")
  else { return nil }
  let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
  let known = [
    "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw",
    "avx512vl", "avx512ifma", "avx512vbmi", "avx512_vnni", "avx512_bf16", "avx512_fp16", "asimd", "sve", "sve2",
  ]
  return known.filter(flags.contains)
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
