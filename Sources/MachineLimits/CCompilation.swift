// How this build's C targets were compiled, in the C compiler's own words.

import CMachineLimits
import Foundation

/// What the C compiler says of the build it is part of: read from
/// `CSources/CMachineLimits/compiler.c`, which SwiftPM compiles with the same
/// flags as every other C target of the configuration (its `-O` level and any
/// `-Xcc` flag such as `-march=native` reach them all), so its macros hold for
/// the C kernels too.
public enum CCompilation {
  /// Whether `__OPTIMIZE__` was defined: the build's C was optimised.
  public static var isOptimized: Bool { ml_is_optimized() != 0 }

  /// `__VERSION__` of the compiler, e.g. "Clang 21.0.0 (...)".
  public static var compilerVersion: String { String(cString: ml_compiler_version()) }

  /// The vector instruction sets the C was compiled for, space-separated
  /// ("sse2 avx avx2 fma avx512f avx512vl" under `-march=native` on AVX-512).
  public static var targetFeatures: String {
    String(cString: ml_target_features()).trimmingCharacters(in: .whitespaces)
  }
}
