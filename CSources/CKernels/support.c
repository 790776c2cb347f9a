/* Support shared by the C kernels and the harness's provenance. */
#include "CKernels.h"

uint64_t ck_splitmix64_next(uint64_t *state) {
  uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

int ck_is_optimized(void) {
#ifdef __OPTIMIZE__
  return 1;
#else
  return 0;
#endif
}

const char *ck_compiler_version(void) {
#ifdef __VERSION__
  return __VERSION__;
#else
  return "unknown";
#endif
}

const char *ck_target_features(void) {
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
