// The tuned library beside the ladder: a BLAS found at run time with dlopen.

import Foundation
import KernelKit
import ProcessKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - The library

/// A BLAS loaded with `dlopen`: its `cblas_dgemm` (or OpenBLAS's ILP64 build's
/// prefixed and suffixed one, as NumPy bundles it: `scipy_cblas_dgemm64_`),
/// and OpenBLAS's thread and configuration calls where it has them.
///
/// Nothing links against a BLAS: a machine without one builds and runs the
/// package as before, and the rung says how to install one. The library's
/// code runs only in a worker process (a `WorkerRequest.blas`), so a
/// library that crashes costs its rung, not the run.
package final class BLASLibrary {
  package let path: String
  /// The dgemm symbol found (`cblas_dgemm`, `scipy_cblas_dgemm64_`, …).
  package let symbol: String
  /// Whether its integers are 64-bit (an ILP64 build: the `64_` suffix, or
  /// OpenBLAS's configuration saying USE64BITINT).
  package let ilp64: Bool
  private let handle: UnsafeMutableRawPointer
  private let dgemm: UnsafeMutableRawPointer
  private let prefix: String
  private let suffix: String

  /// The name variants tried, in order: plain CBLAS, then OpenBLAS's ILP64
  /// builds as SciPy and NumPy bundle them (`scipy_` prefix, `64_` suffix) and
  /// as OpenBLAS names them itself (`64_` suffix only).
  static let variants: [(prefix: String, suffix: String)] = [("", ""), ("scipy_", "64_"), ("", "64_")]

  /// Loads `path`; throws a one-line reason when it is not a loadable library
  /// or has no dgemm.
  package init(path: String) throws(BLASError) {
    guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
      let why = dlerror().map { String(cString: $0) } ?? "dlopen failed"
      throw BLASError("\(path) is not a loadable library: \(why)")
    }
    for (prefix, suffix) in Self.variants {
      let name = "\(prefix)cblas_dgemm\(suffix)"
      if let symbol = dlsym(handle, name) {
        self.handle = handle
        self.path = path
        self.symbol = name
        self.dgemm = symbol
        self.prefix = prefix
        self.suffix = suffix
        let config = Self.string(handle, "\(prefix)openblas_get_config\(suffix)") ?? ""
        self.ilp64 = suffix == "64_" || config.contains("USE64BITINT")
        return
      }
    }
    dlclose(handle)
    throw BLASError("\(path) has no cblas_dgemm (nor scipy_cblas_dgemm64_ or cblas_dgemm64_)")
  }

  deinit { dlclose(handle) }

  private static func string(_ handle: UnsafeMutableRawPointer, _ name: String) -> String? {
    guard let symbol = dlsym(handle, name) else { return nil }
    let call = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafePointer<CChar>?).self)
    return call().map { String(cString: $0) }?.trimmingCharacters(in: .whitespaces)
  }

  /// OpenBLAS's build configuration (`OpenBLAS 0.3.21 DYNAMIC_ARCH … Haswell
  /// MAX_THREADS=64`); nil for another BLAS.
  package var config: String? { Self.string(handle, "\(prefix)openblas_get_config\(suffix)") }
  /// The kernels OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`,
  /// `Prescott` when it did not recognise it); nil for another BLAS.
  package var coreName: String? { Self.string(handle, "\(prefix)openblas_get_corename\(suffix)") }

  /// Sets the library's threads where it says how (OpenBLAS); returns whether it could.
  @discardableResult
  package func setThreads(_ threads: Int) -> Bool {
    guard let symbol = dlsym(handle, "\(prefix)openblas_set_num_threads\(suffix)") else { return false }
    // OpenBLAS's own integer, 64-bit in an ILP64 build.
    if ilp64 {
      unsafeBitCast(symbol, to: (@convention(c) (Int) -> Void).self)(threads)
    } else {
      unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)(Int32(threads))
    }
    return true
  }

  /// C = A·B for row-major n×n matrices (CBLAS: RowMajor, NoTrans, NoTrans,
  /// alpha 1, beta 0).
  package func multiply(n: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>) {
    let rowMajor: Int32 = 101, noTrans: Int32 = 111
    if ilp64 {
      typealias F = @convention(c) (
        Int32, Int32, Int32, Int, Int, Int, Double, UnsafePointer<Double>, Int, UnsafePointer<Double>, Int,
        Double, UnsafeMutablePointer<Double>, Int
      ) -> Void
      unsafeBitCast(dgemm, to: F.self)(rowMajor, noTrans, noTrans, n, n, n, 1, a, n, b, n, 0, c, n)
    } else {
      typealias F = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>, Int32, UnsafePointer<Double>,
        Int32, Double, UnsafeMutablePointer<Double>, Int32
      ) -> Void
      let m = Int32(n)
      unsafeBitCast(dgemm, to: F.self)(rowMajor, noTrans, noTrans, m, m, m, 1, a, m, b, m, 0, c, m)
    }
  }

  /// `OpenBLAS 0.3.21 … (core Haswell)`, or the path's file name for another BLAS.
  package var description: String {
    let name = config ?? URL(fileURLWithPath: path).lastPathComponent
    return coreName.map { "\(name) (core \($0))" } ?? name
  }
}

/// Why a BLAS could not be used, in one line.
package struct BLASError: Error, CustomStringConvertible, Equatable {
  package var description: String
  package init(_ description: String) { self.description = description }
}

// MARK: - Finding one

package enum BLASLocator {
  /// The environment variable that names a BLAS, like `--blas PATH`.
  package static let environmentVariable = "SPEEDLADDER_BLAS"

  /// The one line a run prints when it finds none.
  package static let installHint =
    "no BLAS found: install one (Debian/Ubuntu: apt-get install libopenblas0; or pip install numpy, whose OpenBLAS is found too) or name one with --blas PATH"

  /// Libraries to try, best guess first: Debian's OpenBLAS, then the OpenBLAS
  /// NumPy bundles (numpy.libs, found through `python3`), then the reference
  /// or other BLAS Debian's alternatives point at. Only paths that exist.
  package static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    var seen = Set<String>()
    return searchOrder(environment).flatMap { $0() }.filter {
      FileManager.default.fileExists(atPath: $0) && seen.insert($0).inserted
    }
  }

  /// The first of `candidates`, asking `python3` for NumPy's bundle only when
  /// no system OpenBLAS is installed.
  package static func firstCandidate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    for group in searchOrder(environment) {
      if let path = group().first(where: { FileManager.default.fileExists(atPath: $0) }) { return path }
    }
    return nil
  }

  /// `candidates`' groups, best first, each listed only when asked for.
  private static func searchOrder(_ environment: [String: String]) -> [() -> [String]] {
    [
      {
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
          .flatMap { ["\($0)/libopenblas.so.0", "\($0)/openblas-pthread/libopenblas.so.0"] }
      },
      { numpyBundles(environment: environment) },
      {
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
          .flatMap { ["\($0)/libblas.so.3", "\($0)/libcblas.so.3"] }
      },
    ]
  }

  /// NumPy's bundled OpenBLAS (`numpy.libs/libscipy_openblas64_-*.so`), if
  /// `python3` (or SPEEDLADDER_PYTHON) imports NumPy.
  static func numpyBundles(environment: [String: String]) -> [String] {
    let python = environment["SPEEDLADDER_PYTHON"] ?? "python3"
    let script = "import numpy, os; print(os.path.dirname(os.path.dirname(numpy.__file__)))"
    guard let site = commandOutput(python, ["-c", script]) else { return [] }
    let libs = "\(site)/numpy.libs"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: libs)) ?? []
    return names.filter { $0.contains("openblas") && $0.contains(".so") }.sorted().map { "\(libs)/\($0)" }
  }

  /// The OpenBLAS variables that change which kernels it runs, as set in this
  /// environment (they are recorded, never changed): `OPENBLAS_CORETYPE=Haswell`.
  package static func tuningVariables(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE"].compactMap { name in
      environment[name].map { "\(name)=\($0)" }
    }
  }
}
