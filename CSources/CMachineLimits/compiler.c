/* What compiled this target: the same flags as every C target of the build,
   so the harness's provenance reads them here for the C kernels as well. */
#include "CMachineLimits.h"

int ml_is_optimized(void) {
#ifdef __OPTIMIZE__
  return 1;
#else
  return 0;
#endif
}

const char *ml_compiler_version(void) {
#ifdef __VERSION__
  return __VERSION__;
#else
  return "unknown";
#endif
}

const char *ml_target_features(void) {
  /* The widest instruction sets this translation unit was compiled for, as
     the compiler's predefined macros say; what -march=native turned on. */
  return ""
#if defined(__SSE2__)
         "sse2 "
#endif
#if defined(__AVX__)
         "avx "
#endif
#if defined(__AVX2__)
         "avx2 "
#endif
#if defined(__FMA__)
         "fma "
#endif
#if defined(__AVX512F__)
         "avx512f "
#endif
#if defined(__AVX512VL__)
         "avx512vl "
#endif
#if defined(__ARM_NEON)
         "neon "
#endif
#if defined(__ARM_FEATURE_SVE)
         "sve "
#endif
      ;
}
