# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""nbody in Cython: kernels/nbody.py's algorithm on structure-of-arrays C
doubles (CSources/CKernels/nbody.c's layout): body i sums the pull of every
other body in order j = 0, 1, ..., new positions go to a second buffer. Same
min(64, ceil(N/2)) chunks a step, same operations in the same order, same bits.
Serially the chunks are called in order at C level; other executors get them
through ex.map (each chunk returns its bodies' new state)."""

from array import array

from kernels.nbody import NAME, SIZES, DT, STEPS, initial_state, validate  # noqa: F401
from kernels.nbody import prepare, result  # noqa: F401
from kernels.support import SerialExecutor

from libc.math cimport sqrt


cdef void advance_c(Py_ssize_t n, Py_ssize_t lo, Py_ssize_t hi, double dt, const double *pos,
                    const double *mass, double *vel, double *nxt) noexcept nogil:
    """Bodies lo..<hi: velocities updated in vel, positions written to nxt
    (both 3n, x then y then z)."""
    cdef Py_ssize_t i, j
    cdef double x, y, z, vx, vy, vz, dx, dy, dz, d2, mag
    for i in range(lo, hi):
        x = pos[i]
        y = pos[n + i]
        z = pos[2 * n + i]
        vx = vel[i]
        vy = vel[n + i]
        vz = vel[2 * n + i]
        for j in range(n):
            if j == i:
                continue
            dx = x - pos[j]
            dy = y - pos[n + j]
            dz = z - pos[2 * n + j]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * sqrt(d2))
            vx -= dx * mass[j] * mag
            vy -= dy * mass[j] * mag
            vz -= dz * mass[j] * mag
        vel[i] = vx
        vel[n + i] = vy
        vel[2 * n + i] = vz
        nxt[i] = x + dt * vx
        nxt[n + i] = y + dt * vy
        nxt[2 * n + i] = z + dt * vz


cdef double energy(Py_ssize_t n, const double *pos, const double *vel, const double *mass) noexcept nogil:
    cdef double e = 0.0, dx, dy, dz
    cdef Py_ssize_t i, j
    for i in range(n):
        e += 0.5 * mass[i] * (vel[i] * vel[i] + vel[n + i] * vel[n + i] + vel[2 * n + i] * vel[2 * n + i])
        for j in range(i + 1, n):
            dx = pos[i] - pos[j]
            dy = pos[n + i] - pos[n + j]
            dz = pos[2 * n + i] - pos[2 * n + j]
            e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(Py_ssize_t lo, Py_ssize_t hi, double[::1] pos, double[::1] mass, double[::1] vel, double dt):
    """One chunk for ex.map: (new velocities, new positions) of bodies lo..<hi,
    each as x block, y block, z block of an array of 3n (only lo..<hi set)."""
    cdef Py_ssize_t n = mass.shape[0]
    new_vel = array("d", vel)
    new_pos = array("d", bytes(8 * 3 * n))
    cdef double[::1] v = new_vel
    cdef double[::1] p = new_pos
    with nogil:  # threads run chunks in parallel
        advance_c(n, lo, hi, dt, &pos[0], &mass[0], &v[0], &p[0])
    return new_vel, new_pos


def run(state, ex):
    positions, velocities, masses = state["positions"], state["velocities"], state["masses"]
    cdef Py_ssize_t n = len(masses), i, lo, hi, axis
    cdef double[::1] m = array("d", masses)
    cdef double[::1] pos = array("d", [p[axis] for axis in range(3) for p in positions])
    cdef double[::1] vel = array("d", [v[axis] for axis in range(3) for v in velocities])
    cdef double[::1] nxt = array("d", bytes(8 * 3 * n))
    cdef double[::1] swap, new_v, new_p
    chunks = state["chunks"]
    serial = isinstance(ex, SerialExecutor)
    before = energy(n, &pos[0], &vel[0], &m[0])
    for _ in range(state["steps"]):
        if serial:
            for lo, hi in chunks:
                advance_c(n, lo, hi, DT, &pos[0], &m[0], &vel[0], &nxt[0])
        else:
            parts = ex.map(advance, [(lo, hi, pos.base, m.base, vel.base, DT) for lo, hi in chunks])
            for (lo, hi), (new_vel, new_pos) in zip(chunks, parts):
                new_v = new_vel
                new_p = new_pos
                for axis in range(3):
                    vel[axis * n + lo:axis * n + hi] = new_v[axis * n + lo:axis * n + hi]
                    nxt[axis * n + lo:axis * n + hi] = new_p[axis * n + lo:axis * n + hi]
        swap = pos
        pos = nxt
        nxt = swap
    return before, energy(n, &pos[0], &vel[0], &m[0])
