"""nbody in Numba: the plain kernel's loops, compiled, on (N, 3) arrays. Body
i sums the pull of every other body in order j = 0, 1, ...; a step runs the
min(64, ceil(N/2)) chunks of bodies into second buffers, then copies them back.
Same operations in the same order (no fused multiply-add), so the energies are
bit-identical to the plain kernel's and the Swift ports'."""

import math

import numpy as np
from numba import njit, prange

from kernels import nbody as plain
from kernels.nbody import DT, NAME, SIZES, STEPS, result, validate  # noqa: F401
from numba_kernels import parallel_pair


@njit(nogil=True)
def energy(p, v, m):
    e = 0.0
    n = p.shape[0]
    for i in range(n):
        e += 0.5 * m[i] * (v[i, 0] * v[i, 0] + v[i, 1] * v[i, 1] + v[i, 2] * v[i, 2])
        for j in range(i + 1, n):
            dx = p[i, 0] - p[j, 0]
            dy = p[i, 1] - p[j, 1]
            dz = p[i, 2] - p[j, 2]
            e -= m[i] * m[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


@njit(nogil=True)
def advance_bodies(lo, hi, p, v, m, dt, p_out, v_out):
    """The next position and velocity of bodies lo..<hi: one chunk of a step."""
    n = p.shape[0]
    for i in range(lo, hi):
        x, y, z = p[i, 0], p[i, 1], p[i, 2]
        vx, vy, vz = v[i, 0], v[i, 1], v[i, 2]
        for j in range(n):
            if j == i:
                continue
            dx = x - p[j, 0]
            dy = y - p[j, 1]
            dz = z - p[j, 2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            mass = m[j]
            vx -= dx * mass * mag
            vy -= dy * mass * mag
            vz -= dz * mass * mag
        p_out[i, 0] = x + dt * vx
        p_out[i, 1] = y + dt * vy
        p_out[i, 2] = z + dt * vz
        v_out[i, 0] = vx
        v_out[i, 1] = vy
        v_out[i, 2] = vz


def _simulate(p0, v0, m, chunks, steps, dt):
    p = p0.copy()
    v = v0.copy()
    p_next = np.empty_like(p)
    v_next = np.empty_like(v)
    before = energy(p, v, m)
    for _ in range(steps):
        for c in prange(chunks.shape[0]):
            advance_bodies(chunks[c, 0], chunks[c, 1], p, v, m, dt, p_next, v_next)
        p[:, :] = p_next
        v[:, :] = v_next
    return before, energy(p, v, m)


_serial, _parallel = parallel_pair(_simulate)


def prepare(n, steps=STEPS):
    state = plain.prepare(n, steps)
    return {"steps": steps, "p": np.array(state["positions"]), "v": np.array(state["velocities"]),
            "m": np.array(state["masses"]), "chunks": np.array(state["chunks"], dtype=np.int64)}


def _args(state):
    return state["p"], state["v"], state["m"], state["chunks"], state["steps"], DT


def run_serial(state):
    return _serial(*_args(state))


def run_parallel(state):
    return _parallel(*_args(state))
