// swift-tools-version: 6.0
//
// SpeedLadder: how far compiled code and parallelism take a CPU-bound job.
// No package dependencies: the Swift toolchain and C targets built by SwiftPM.

import PackageDescription

let package = Package(
  name: "SpeedLadder",
  products: [
    .executable(name: "benchmark", targets: ["benchmark"]),
    /// What a run builds for its other configurations: the worker side alone.
    .executable(name: "benchmark-worker", targets: ["benchmark-worker"]),
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
    /// From KernelKit it takes only `Perm16` (fannkuch-redux's two-word permutation,
    /// shared with the span flavour); the definitions in `Kernels` wrap it.
    .target(name: "UnsafeKernels", dependencies: ["KernelKit"], path: "Sources/Unsafe"),
    /// Between flavours 1 and 2: the unsafe flavour's representation with no
    /// unsafe construct (`Span`, `MutableSpan`, `InlineArray`). Strict memory
    /// safety makes any unsafe construct a warning (`.strictMemorySafety()`
    /// needs tools 6.2; the flag is the same switch, and a root package may pass it).
    .target(
      name: "SpanKernels", dependencies: ["KernelKit"], path: "Sources/Span",
      swiftSettings: [.unsafeFlags(["-strict-memory-safety"])]),
    /// Flavour 3: portable C11, same algorithm and data layout as the unsafe flavour.
    .target(name: "CKernels", path: "CSources/CKernels"),
    /// Flavour 4: Swift with the standard library's SIMD types over unsafe buffers.
    .target(name: "VectorKernels", path: "Sources/Vector"),
    /// Flavour 5: C11 with GCC/Clang vector extensions, same lanes and algorithm as flavour 4.
    .target(name: "CVectorKernels", path: "CSources/CVectorKernels"),
    /// One definition per kernel (sizes, input, reference answers, documentation)
    /// and the catalogue that registers them.
    .target(
      name: "Kernels",
      dependencies: [
        "KernelKit", "IdiomaticKernels", "SpanKernels", "UnsafeKernels", "CKernels", "VectorKernels", "CVectorKernels",
      ]
    ),

    // MARK: - The harness, one module per concern (arrows point down the list)

    /// This process: its terminal (the progress line, standard output and error),
    /// its signals (interrupts), its exit statuses and the errors that choose
    /// them, the child processes it runs, and the measuring lock with the other
    /// processes' share of the CPU.
    .target(name: "ProcessKit"),
    /// This machine's limits (peak multiply-add rate, STREAM bandwidth), measured
    /// in the same run so each result can be read as a fraction of them.
    .target(name: "MachineLimits", dependencies: ["CMachineLimits"]),
    /// The C probes behind it, compiled with the build's ISA flags, and what the
    /// C compiler says of those flags (the provenance of every C target).
    .target(name: "CMachineLimits", path: "CSources/CMachineLimits"),
    /// Cells, the runner and its calibration, statistics, clocks, provenance,
    /// cross-verification and the results model (`RunResults` is data). It sees
    /// kernels only through KernelKit: a caller passes the catalogue it means.
    .target(name: "MeasurementKit", dependencies: ["KernelKit", "MachineLimits", "ProcessKit"]),
    /// What a parent and its worker processes say to each other: the one
    /// `WorkerRequest` a worker reads on standard input (measure, chunks,
    /// blas) and the events it answers with. A request names its kernels,
    /// which decode to the catalogue's (`Kernels`).
    .target(name: "WorkerProtocol", dependencies: ["MeasurementKit", "ProcessKit", "KernelKit", "Kernels"]),
    /// The Python rungs: finds python3, PyPy and Cython and drives bench/python/rung.py.
    .target(
      name: "Interpreters", dependencies: ["WorkerProtocol", "MeasurementKit", "ProcessKit", "KernelKit", "Kernels"]),
    /// What runs in a worker process: its one entry, the measuring, the
    /// process backend's chunk workers and the BLAS worker; and the run plan
    /// a parent makes its requests from.
    .target(
      name: "Workers",
      dependencies: ["WorkerProtocol", "MeasurementKit", "ProcessKit", "MachineLimits", "KernelKit", "Kernels"]),
    /// A worker process and nothing more, so a run compiles only this for its
    /// release and native builds (half the compile of `benchmark`).
    .executableTarget(name: "benchmark-worker", dependencies: ["Workers"]),
    /// The parent of a run: builds the other configurations, runs a worker per
    /// build, merges their cells and adds the Python rungs.
    .target(
      name: "Orchestration",
      dependencies: [
        "Workers", "WorkerProtocol", "Interpreters", "MeasurementKit", "ProcessKit", "KernelKit", "Kernels",
      ]),
    /// Every way a run is shown: text table, ladder, compounding, explain,
    /// CSV/Markdown/JSON, and the HTML report's SVG charts.
    .target(name: "Reports", dependencies: ["MeasurementKit", "ProcessKit", "KernelKit", "Kernels"]),
    /// CI timing gates: the gates file, noise bands, verdicts and their reports.
    .target(
      name: "Gates",
      dependencies: [
        "Orchestration", "Workers", "Reports", "MeasurementKit", "ProcessKit", "KernelKit", "Kernels",
      ]),
    /// The concurrency lessons: threads, a GIL, processes and tasks, measured.
    .target(
      name: "Lessons",
      dependencies: ["Orchestration", "Workers", "MeasurementKit", "ProcessKit", "KernelKit", "Kernels"]),
    /// The command line: parsing, help, one file per subcommand.
    .target(
      name: "CLI",
      dependencies: [
        "MeasurementKit", "ProcessKit", "Workers", "Orchestration", "Reports", "Gates", "Lessons", "KernelKit",
        "Kernels",
      ]),
    .executableTarget(name: "benchmark", dependencies: ["CLI"]),

    // MARK: - Fuzzing (bench/FUZZING.md)

    /// Every parser of outside input behind one entry that takes bytes.
    .target(
      name: "FuzzTargets",
      dependencies: [
        "CLI", "Gates", "WorkerProtocol", "Interpreters", "Reports", "MeasurementKit", "ProcessKit", "KernelKit",
        "Kernels",
      ]),
    /// libFuzzer's driver, declared for Swift (linked only by `-sanitize=fuzzer`).
    .target(name: "CFuzzing", path: "CSources/CFuzzing"),
    /// Replays files through a target; with `-sanitize=fuzzer -DFUZZING`, fuzzes it.
    .executableTarget(name: "fuzz-parsers", dependencies: ["FuzzTargets", "CFuzzing"]),

    // MARK: - Tests

    .testTarget(name: "KernelKitTests", dependencies: ["KernelKit"]),
    .testTarget(
      name: "KernelTests",
      dependencies: [
        "Kernels", "KernelKit", "IdiomaticKernels", "UnsafeKernels", "CKernels", "VectorKernels", "CVectorKernels",
      ]),
    /// What the harness and end-to-end tests share (a library, not a test target):
    /// the fixtures (`Fixtures`) and finding, launching and waiting for the built binaries.
    .target(
      name: "TestSupport",
      dependencies: ["MeasurementKit", "ProcessKit", "MachineLimits", "Workers", "Kernels", "KernelKit"],
      path: "Tests/TestSupport"),
    /// Unit tests of the harness modules: no process of the built binaries is launched.
    .testTarget(
      name: "HarnessTests",
      dependencies: [
        "CLI", "MeasurementKit", "ProcessKit", "MachineLimits", "Interpreters", "WorkerProtocol", "Workers",
        "Orchestration", "Reports", "Gates", "Lessons", "Kernels", "KernelKit", "FuzzTargets", "TestSupport",
      ]),
    /// Tests that launch the built `benchmark` and `benchmark-worker` (or run a
    /// backend, rung or build that does).
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "CLI", "MeasurementKit", "ProcessKit", "Interpreters", "WorkerProtocol", "Workers", "Orchestration",
        "Reports", "Gates", "Lessons", "Kernels", "KernelKit", "TestSupport",
        // Not imported: built so that these tests can launch them.
        "benchmark", "benchmark-worker",
      ]),
    .testTarget(name: "MachineLimitsTests", dependencies: ["MachineLimits", "CMachineLimits"]),
  ],
  swiftLanguageModes: [.v6],
  cLanguageStandard: .c11
)
