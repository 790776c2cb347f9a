/* nbody: direct-sum gravity, symplectic Euler. See Kernels/NBody.swift. */
#include "CKernels.h"

#include <math.h>

/* Every flavour performs the same operations in the same order, so results agree
 * bit for bit; a fused multiply-add would round differently. */
#pragma STDC FP_CONTRACT OFF

void ck_nbody_advance(ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi, double dt,
                      const double *pos, const double *mass, double *vel, double *next) {
  const double *x = pos, *y = pos + n, *z = pos + 2 * n;
  double *vx = vel, *vy = vel + n, *vz = vel + 2 * n;
  double *nx = next, *ny = next + n, *nz = next + 2 * n;
  for (ptrdiff_t i = lo; i < hi; ++i) {
    const double xi = x[i], yi = y[i], zi = z[i];
    double vxi = vx[i], vyi = vy[i], vzi = vz[i];
    for (ptrdiff_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dx = xi - x[j], dy = yi - y[j], dz = zi - z[j];
      const double d2 = dx * dx + dy * dy + dz * dz;
      const double mag = dt / (d2 * sqrt(d2));
      vxi -= dx * mass[j] * mag;
      vyi -= dy * mass[j] * mag;
      vzi -= dz * mass[j] * mag;
    }
    vx[i] = vxi;
    vy[i] = vyi;
    vz[i] = vzi;
    nx[i] = xi + dt * vxi;
    ny[i] = yi + dt * vyi;
    nz[i] = zi + dt * vzi;
  }
}

double ck_nbody_energy(ptrdiff_t n, const double *pos, const double *vel, const double *mass) {
  const double *x = pos, *y = pos + n, *z = pos + 2 * n;
  const double *vx = vel, *vy = vel + n, *vz = vel + 2 * n;
  double e = 0.0;
  for (ptrdiff_t i = 0; i < n; ++i) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (ptrdiff_t j = i + 1; j < n; ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}
