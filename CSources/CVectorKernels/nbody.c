/* nbody, C vector flavour: 8 other bodies a vector. See Sources/Vector/NBody.swift. */
#include "CVectorKernels.h"

#include <string.h>

/* The Swift vector flavour never fuses a multiply and an add; with the same
 * operations in the same order, the two agree bit for bit. */
#pragma STDC FP_CONTRACT OFF

typedef double v8d __attribute__((vector_size(64)));
/* What comparing two v8d gives: 64-bit lanes of all ones (true) or zero. */
typedef __typeof__((v8d){0} <= (v8d){0}) v8m;

/* Macros, not functions: a 64-byte vector argument of a function that is not
 * inlined (a debug build) has no AVX-512 register to travel in, and clang
 * warns that the ABI changes. */

/* Elements [j, n) of `a` (fewer than eight) into `v`, zeros in the lanes past n. */
#define NBODY_PARTIAL(v, a, j, n)                                        \
  do {                                                                   \
    (v) = (v8d){0};                                                      \
    for (ptrdiff_t k = 0; k < (n) - (j); ++k) (v)[k] = (a)[(j) + k];     \
  } while (0)

/* Lane-wise square root: clang's builtin is one vector instruction (sqrtpd);
 * elsewhere, a lane loop the compiler may vectorise. Both round exactly. */
#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_sqrt)
#define NBODY_SQRT(root, v) ((root) = __builtin_elementwise_sqrt(v))
#else
#include <math.h>
#define NBODY_SQRT(root, v) \
  do { for (int k = 0; k < 8; ++k) (root)[k] = sqrt((v)[k]); } while (0)
#endif

/* The lanes' sum, pairwise, as Vector.nbodySum adds them. */
#define NBODY_SUM(v) ((((v)[0] + (v)[4]) + ((v)[2] + (v)[6])) + (((v)[1] + (v)[5]) + ((v)[3] + (v)[7])))

/* The pull of bodies xj, yj, zj, mj on body (xi, yi, zi), added to the
 * accumulators; lanes not in `other` add exactly 0. As Vector.nbodyPull. */
#define NBODY_PULL(xj, yj, zj, mj, other)                          \
  do {                                                             \
    const v8d dx = xi - (xj), dy = yi - (yj), dz = zi - (zj);      \
    const v8d d2 = dx * dx + dy * dy + dz * dz;                    \
    v8d root;                                                      \
    NBODY_SQRT(root, d2);                                          \
    const v8d mag = (v8d)((v8m)(dt / (d2 * root)) & (other));      \
    ax += dx * (mj) * mag;                                         \
    ay += dy * (mj) * mag;                                         \
    az += dz * (mj) * mag;                                         \
  } while (0)

void cv_nbody_advance(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, double dt,
                      const double *pos, const double *mass, double *vel, double *next) {
  const double *x = pos, *y = pos + n, *z = pos + 2 * n;
  double *vx = vel, *vy = vel + n, *vz = vel + 2 * n;
  double *nx = next, *ny = next + n, *nz = next + 2 * n;
  const v8d lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const double count = (double)n;
  for (ptrdiff_t i = lo; i < hi; ++i) {
    const v8d xi = x[i] + (v8d){0}, yi = y[i] + (v8d){0}, zi = z[i] + (v8d){0};
    const double own = (double)i;
    v8d ax = {0}, ay = {0}, az = {0};
    v8d index = lane;
    ptrdiff_t j = 0;
    /* Whole blocks: four plain vector loads, no branch in the loop body. */
    for (; j + 8 <= n; j += 8, index += 8.0) {
      v8d xj, yj, zj, mj;
      memcpy(&xj, x + j, sizeof xj);
      memcpy(&yj, y + j, sizeof yj);
      memcpy(&zj, z + j, sizeof zj);
      memcpy(&mj, mass + j, sizeof mj);
      NBODY_PULL(xj, yj, zj, mj, index != own);
    }
    /* The last, partial block, after the loop: it adds last, in its turn. */
    if (j < n) {
      v8d xj, yj, zj, mj;
      NBODY_PARTIAL(xj, x, j, n);
      NBODY_PARTIAL(yj, y, j, n);
      NBODY_PARTIAL(zj, z, j, n);
      NBODY_PARTIAL(mj, mass, j, n);
      NBODY_PULL(xj, yj, zj, mj, (index != own) & (index < count));
    }
    const double vxi = vx[i] - NBODY_SUM(ax);
    const double vyi = vy[i] - NBODY_SUM(ay);
    const double vzi = vz[i] - NBODY_SUM(az);
    vx[i] = vxi;
    vy[i] = vyi;
    vz[i] = vzi;
    nx[i] = x[i] + dt * vxi;
    ny[i] = y[i] + dt * vyi;
    nz[i] = z[i] + dt * vzi;
  }
}
