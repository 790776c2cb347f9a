// swift-tools-version: 6.0
//
// SpeedLadder: how far compiled code and parallelism take a CPU-bound job.
// No package dependencies: the Swift toolchain and C targets built by SwiftPM.

import PackageDescription

let package = Package(
  name: "SpeedLadder",
  products: [
    .executable(name: "benchmark", targets: ["benchmark"]),
  ],
  dependencies: [],
  targets: [
    // MARK: - The kernel catalogue

    /// The contract between kernels and harness: `Kernel`, `Workload`, the
    /// parallel executor, the seeded generator and result checksums.
    .target(name: "KernelKit"),
    /// Flavour 1: what a good Swift programmer writes first.
    .target(name: "IdiomaticKernels", dependencies: ["KernelKit"], path: "Sources/Idiomatic"),
    /// Flavour 2: the fastest Swift we can write (unsafe buffers, `&+`, flat storage).
    .target(name: "UnsafeKernels", dependencies: ["KernelKit"], path: "Sources/Unsafe"),
    /// Flavour 3: portable C11, same algorithm and data layout as the unsafe flavour.
    .target(name: "CKernels", path: "CSources/CKernels"),
    /// Flavour 4: Swift with the standard library's SIMD types over unsafe buffers.
    .target(name: "VectorKernels", dependencies: ["KernelKit"], path: "Sources/Vector"),
    /// Flavour 5: C11 with GCC/Clang vector extensions, same lanes and algorithm as flavour 4.
    .target(name: "CVectorKernels", path: "CSources/CVectorKernels"),
    /// One definition per kernel (sizes, input, reference answers, documentation)
    /// and the catalogue that registers them.
    .target(
      name: "Kernels",
      dependencies: [
        "KernelKit", "IdiomaticKernels", "UnsafeKernels", "CKernels", "VectorKernels", "CVectorKernels",
      ]
    ),

    // MARK: - The harness and its command line

    .target(name: "Harness", dependencies: ["Kernels", "KernelKit", "CKernels"]),
    .executableTarget(name: "benchmark", dependencies: ["Harness"]),
    /// This machine's limits (peak multiply-add rate, STREAM bandwidth), measured
    /// in the same run so each result can be read as a fraction of them.
    .target(name: "MachineLimits", dependencies: ["CMachineLimits"]),
    /// The C probes behind it, compiled with the build's ISA flags.
    .target(name: "CMachineLimits", path: "CSources/CMachineLimits"),

    // MARK: - Tests

    .testTarget(name: "KernelTests", dependencies: ["Kernels", "KernelKit", "CKernels"]),
    .testTarget(name: "HarnessTests", dependencies: ["Harness", "Kernels", "KernelKit", "benchmark"]),
    .testTarget(name: "MachineLimitsTests", dependencies: ["MachineLimits"]),
  ],
  swiftLanguageModes: [.v6],
  cLanguageStandard: .c11
)
