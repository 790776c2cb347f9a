/* Support for the C vector kernels. */
#include "CVectorKernels.h"

/* The widest vector registers this file was compiled for, in bytes (what the
 * target CPU flags bought: 16 for baseline x86-64 or arm64, 32 with AVX2, 64
 * with AVX-512). */
int cv_native_vector_bytes(void) {
#if defined(__AVX512F__)
  return 64;
#elif defined(__AVX__)
  return 32;
#else
  return 16;
#endif
}
