/* latency: an I/O-bound request, simulated. See Kernels/Latency.swift. */
/* nanosleep is POSIX, not C11: ask for it before any system header. */
#define _POSIX_C_SOURCE 200809L
#include "CKernels.h"

#include <errno.h>
#include <time.h>

void ck_latency_wait(int64_t nanoseconds) {
  struct timespec left = {(time_t)(nanoseconds / 1000000000), (long)(nanoseconds % 1000000000)};
  /* A signal may cut the sleep short; sleep the rest. */
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

uint64_t ck_latency_work(ptrdiff_t request, ptrdiff_t rounds) {
  uint64_t state = CK_LATENCY_SEED ^ ((uint64_t)request * UINT64_C(0x9e3779b97f4a7c15));
  uint64_t digest = 0;
  for (ptrdiff_t r = 0; r < rounds; ++r) {
    digest ^= ck_splitmix64_next(&state);
    digest = (digest << 5) | (digest >> 59);
  }
  return digest;
}
